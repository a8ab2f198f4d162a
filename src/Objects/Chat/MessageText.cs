using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Chat;

/// <summary>The rule for the text of a message (channels, direct messages): trimmed and in Unicode NFC, not empty, at most
/// 4,000 characters, valid Unicode, no control characters but line breaks and tabs, no bidirectional formatting.</summary>
internal static class MessageText
{
    public const int MaxLength = 4000;

    /// <returns>The trimmed text, in NFC.</returns>
    /// <exception cref="ObjectCallException">The text breaks a rule; the message says which.</exception>
    public static string Check(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new ObjectCallException("text must not be empty.");
        }
        // Checked before normalizing: NFC of a text with an unpaired surrogate fails.
        TextRules.Check("text", trimmed, MaxLength, allowLineBreaks: true);
        return trimmed.IsNormalized(System.Text.NormalizationForm.FormC) ? trimmed : trimmed.Normalize(System.Text.NormalizationForm.FormC);
    }
}
