namespace SignalRChat.Load;

/// <summary>Paths in the repository the tool runs from.</summary>
internal static class Paths
{
    public static string Root { get; } = FindRoot();

    public static string HubProject => Path.Combine(Root, "src", "Hub");

    public static string Results => Path.Combine(Root, "results");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SignalRChat.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No SignalRChat.sln above {AppContext.BaseDirectory}: run the tool from the repository.");
    }
}
