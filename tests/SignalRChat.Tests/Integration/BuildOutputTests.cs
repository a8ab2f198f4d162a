using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.Integration;

/// <summary>What a build of the hub carries: never the Development settings; and those hold no secret anyone could copy.</summary>
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

    [Fact]
    public void TheDevelopmentSettings_HoldNoSecret()
    {
        // run.sh makes the local cluster's own secrets under .local/; the tests make theirs per run.
        var settings = File.ReadAllText(Path.Combine(RepoPaths.HubProject, "appsettings.Development.json"));
        Assert.DoesNotContain("SigningKey", settings);
        Assert.DoesNotContain("Secret", settings);
    }
}
