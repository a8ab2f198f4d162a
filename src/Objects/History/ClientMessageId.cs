using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.History;

/// <summary>The optional ID a client gives a message it sends, so that sending it again (after an error or a lost
/// connection) stores it once: the check of its form, and the idempotency key it makes with the sender's name.</summary>
internal static class ClientMessageId
{
    /// <summary>The longest ID accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>The key a sender's message is stored under (<c>{user}/{clientMessageId}</c>), or null without an ID.</summary>
    /// <exception cref="ObjectCallException">The ID is not valid (<see cref="Check"/>).</exception>
    public static string? KeyOf(string user, string? clientMessageId) =>
        Check(clientMessageId) is { } id ? $"{user}/{id}" : null;

    /// <summary>Checks an ID's form: 1-64 ASCII letters, digits, '-', '_', '.' or ':' (a UUID fits), or none.</summary>
    /// <exception cref="ObjectCallException">The ID is not valid; the message says why.</exception>
    public static string? Check(string? clientMessageId) =>
        clientMessageId is null || (clientMessageId.Length is > 0 and <= MaxLength && clientMessageId.All(IsAllowed)) ? clientMessageId
        : throw new ObjectCallException(
            $"clientMessageId must be 1-{MaxLength} ASCII letters, digits, '-', '_', '.' or ':'; it was '{(clientMessageId.Length <= 80 ? clientMessageId : clientMessageId[..80] + "…")}'.");

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':';
}
