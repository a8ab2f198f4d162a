namespace SignalRChat.Objects.Runtime;

/// <summary>Builds the caller-facing texts of failed object calls, so every path words them the same way.</summary>
internal static class ObjectErrors
{
    public static string InvalidObjectId(string? text, string problem) =>
        $"Invalid object ID '{text}': {problem}. Expected 'Type-key', for example 'ChatRoom-general'.";

    public static string UnknownType(string type, IEnumerable<string> known) =>
        $"Unknown object type '{type}'. Types: {string.Join(", ", known)}.";

    public static string UnknownMethod(string type, string method, IEnumerable<string> known) =>
        $"{type} has no method '{method}'. Methods: {string.Join(", ", known)}.";

    public static string InvalidArgs(string type, string method, string detail) =>
        $"Invalid args for {type}.{method}: {detail}";

    public static string TypeMismatch(string type, ObjectId id) =>
        $"Object ID '{id}' is not of type '{type}'.";

    public static string AlreadyExists(ObjectId id) => $"{id} already exists.";

    public static string Internal(string type, string method) =>
        $"{type}.{method} failed on the server; the error was logged.";
}
