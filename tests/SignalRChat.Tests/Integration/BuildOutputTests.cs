namespace SignalRChat.Tests.Integration;

/// <summary>What a build of the hub carries: never the Development settings, whose signing key anyone can read.</summary>
public sealed class BuildOutputTests
{
    [Fact]
    public void TheHubsBuildOutput_HasNoDevelopmentSettings()
    {
        // This test project's output holds the hub's build output (its content files are copied along).
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "appsettings.json")), "the hub's appsettings.json is copied along");
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "appsettings.Development.json")),
            "appsettings.Development.json is in the build output: anyone starting it in Development would use its public signing key");
    }
}
