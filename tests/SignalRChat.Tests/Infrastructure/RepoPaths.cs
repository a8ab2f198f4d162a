namespace SignalRChat.Tests.Infrastructure;

/// <summary>Paths in the repository the tests run from.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string HubProject => Path.Combine(Root, "src", "Hub");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SignalRChat.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No SignalRChat.sln above {AppContext.BaseDirectory}.");
    }
}
