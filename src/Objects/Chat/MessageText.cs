using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Chat;

/// <summary>The rule for the text of a channel message (rooms, guilds): trimmed, not empty, at most 4,000 characters.</summary>
internal static class MessageText
{
    public const int MaxLength = 4000;

    /// <returns>The trimmed text.</returns>
    /// <exception cref="ObjectCallException">The text is empty or too long.</exception>
    public static string Check(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length == 0 ? throw new ObjectCallException("text must not be empty.")
            : trimmed.Length > MaxLength ? throw new ObjectCallException($"text is {trimmed.Length} characters long; the limit is {MaxLength}.")
            : trimmed;
    }
}
