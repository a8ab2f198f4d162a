namespace SignalRChat.Client.Console;

/// <summary>Command-line options: <c>--server URL --user NAME [--protocol json|messagepack]</c>.</summary>
internal sealed record ClientOptions(Uri Server, string User, bool MessagePack)
{
    public const string Usage = "usage: signalrchat-console --user NAME [--server http://127.0.0.1:5000] [--protocol json|messagepack]";

    /// <exception cref="ArgumentException">The args are not valid; the message says which.</exception>
    public static ClientOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }
            values[args[i][2..]] = args[i + 1];
        }
        if (values.Keys.Except(["server", "user", "protocol"]).FirstOrDefault() is { } unknown)
        {
            throw new ArgumentException($"Unknown option --{unknown}.");
        }
        var user = values.GetValueOrDefault("user") ?? throw new ArgumentException("--user is required.");
        if (!Uri.TryCreate(values.GetValueOrDefault("server", "http://127.0.0.1:5000"), UriKind.Absolute, out var server))
        {
            throw new ArgumentException($"--server '{values["server"]}' is not an absolute URL.");
        }
        var protocol = values.GetValueOrDefault("protocol", "json");
        return protocol is "json" or "messagepack"
            ? new ClientOptions(server, user, protocol == "messagepack")
            : throw new ArgumentException($"--protocol '{protocol}' is not json or messagepack.");
    }
}
