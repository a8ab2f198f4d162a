namespace SignalRChat.Push;

/// <summary>
/// A client's address in the cluster: <c>{instanceId}/{connectionId}</c>. The instance part tells a pusher which hub
/// instance holds the connection, so no registry of connections is needed. A hub hands it out with
/// <see cref="ClusterHubContextExtensions.GetClientId"/>; every send of SignalR's that takes connection IDs takes client IDs.
/// </summary>
/// <param name="InstanceId">The hub instance that holds the connection.</param>
/// <param name="ConnectionId">SignalR's connection ID on that instance.</param>
public readonly record struct ClientId(string InstanceId, string ConnectionId)
{
    /// <summary>The longest instance ID accepted.</summary>
    public const int MaxInstanceIdLength = 64;

    /// <summary>Reads a client ID.</summary>
    /// <exception cref="ArgumentException">The text is not a client ID.</exception>
    public static ClientId Parse(string? text) =>
        TryParse(text, out var id) ? id : throw Invalid(text);

    /// <summary>Reads a client ID; false when the text is not one.</summary>
    public static bool TryParse(string? text, out ClientId id)
    {
        id = default;
        var slash = text?.IndexOf('/') ?? -1;
        if (slash <= 0 || slash == text!.Length - 1 || text.IndexOf('/', slash + 1) >= 0)
        {
            return false;
        }
        var instance = text[..slash];
        if (!IsInstanceId(instance) || text.AsSpan(slash + 1).ContainsAny(" \t\r\n"))
        {
            return false;
        }
        id = new ClientId(instance, text[(slash + 1)..]);
        return true;
    }

    /// <summary>Whether <paramref name="text"/> can name a hub instance: 1–64 letters, digits, '-', '_', '.' or ':'.</summary>
    public static bool IsInstanceId(string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= MaxInstanceIdLength && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    /// <summary>The connection part of a client ID, or the text itself when it is a plain connection ID.</summary>
    /// <exception cref="ArgumentException">The text has a '/' but is not a valid client ID.</exception>
    internal static string ToConnectionId(string text) =>
        !text.Contains('/') ? text : Parse(text).ConnectionId;

    internal static ArgumentException Invalid(string? text) =>
        new($"Invalid client ID '{text}': expected '{{instanceId}}/{{connectionId}}', as the hub sends it in Registered.");

    /// <summary>The client ID as text, <c>{instanceId}/{connectionId}</c>.</summary>
    public override string ToString() => $"{InstanceId}/{ConnectionId}";
}
