using SignalRChat.Hub.Hosting;

namespace SignalRChat.Tests.Unit;

/// <summary>The hub's executable sizes the shared ArrayPool through the environment, keeping an operator's own value.</summary>
public sealed class SharedArrayPoolSizeTests
{
    [Fact]
    public void Apply_SetsTheSize_WhenTheEnvironmentDoesNot()
    {
        WithVariable(null, () =>
        {
            SharedArrayPoolSize.Apply();

            Assert.Equal("1024", Environment.GetEnvironmentVariable(SharedArrayPoolSize.Variable));
        });
    }

    [Fact]
    public void Apply_KeepsTheOperatorsValue()
    {
        WithVariable("64", () =>
        {
            SharedArrayPoolSize.Apply();

            Assert.Equal("64", Environment.GetEnvironmentVariable(SharedArrayPoolSize.Variable));
        });
    }

    /// <summary>Runs with the variable set to <paramref name="value"/> (null: unset), then puts back what was there.</summary>
    private static void WithVariable(string? value, Action test)
    {
        var before = Environment.GetEnvironmentVariable(SharedArrayPoolSize.Variable);
        Environment.SetEnvironmentVariable(SharedArrayPoolSize.Variable, value);
        try
        {
            test();
        }
        finally
        {
            Environment.SetEnvironmentVariable(SharedArrayPoolSize.Variable, before);
        }
    }
}
