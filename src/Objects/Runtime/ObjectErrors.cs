namespace SignalRChat.Objects.Runtime;

/// <summary>Builds the caller-facing texts of failed object calls, so every path words them the same way.</summary>
internal static class ObjectErrors
{
    public static string InvalidObjectId(string? text, string problem) =>
        $"Invalid object ID '{Shorten(text)}': {problem}. Expected 'Type-key', for example 'ChatRoom-general'.";

    /// <summary>At most 80 characters of what a client sent, so an error never echoes a long input back whole.</summary>
    public static string? Shorten(string? text) => text is { Length: > 80 } ? text[..80] + "…" : text;

    public static string UnknownType(string type, IEnumerable<string> known) =>
        $"Unknown object type '{type}'. Types: {string.Join(", ", known)}.";

    public static string UnknownMethod(string type, string method, IEnumerable<string> known) =>
        $"{type} has no method '{method}'. Methods: {string.Join(", ", known)}.";

    public static string InvalidArgs(string type, string method, string detail) =>
        $"Invalid args for {type}.{method}: {detail}";

    public static string TypeMismatch(string type, ObjectId id) =>
        $"Object ID '{id}' is not of type '{type}'.";

    public static string AlreadyExists(ObjectId id) => $"{id} already exists.";

    /// <summary>A connection that joined as many rooms and worlds as it may.</summary>
    public static string WatchLimit(ObjectId id) =>
        $"This connection is already a member of {ObjectCaller.MaxWatchedObjects} objects; leave one before joining {id}.";

    /// <summary>What starts the text of every temporary error: a retry may succeed. Errors without it are refusals:
    /// retrying gives the same answer.</summary>
    public const string TemporaryMarker = "[temporary] ";

    /// <summary>Marks <paramref name="text"/> as a temporary error.</summary>
    public static string Temporary(string text) => TemporaryMarker + text;

    /// <summary>What starts the text of every refusal by a rate limit; the text ends with "Retry in {seconds} s.".</summary>
    public const string RateLimitedMarker = "[rate-limited] ";

    /// <summary>A refusal by a rate limit: what was too fast, and when to try again.</summary>
    public static string RateLimited(string text, TimeSpan retryAfter) =>
        $"{RateLimitedMarker}{text} Retry in {Math.Max(retryAfter.TotalSeconds, 0.1).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} s.";

    /// <summary>An unexpected failure (storage or runtime trouble): temporary, and whether it took effect is unknown.</summary>
    public static string Internal(string type, string method) =>
        Temporary($"{type}.{method} failed on the server; the error was logged. Whether it took effect is unknown: retry (with the same clientMessageId).");
}
