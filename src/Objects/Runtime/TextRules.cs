namespace SignalRChat.Objects.Runtime;

/// <summary>The rules every client-supplied text follows: a length limit, no control characters, valid UTF-16.</summary>
internal static class TextRules
{
    /// <returns>Null when <paramref name="text"/> is acceptable; otherwise what is wrong, naming <paramref name="field"/>.</returns>
    public static string? Problem(string field, string text, int maxLength, bool allowLineBreaks = false)
    {
        if (text.Length > maxLength)
        {
            return $"{field} is {text.Length} characters long; the limit is {maxLength}.";
        }
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"{field} holds an unpaired surrogate at index {i}: it is not valid Unicode text.";
            }
            else if (char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t'))
            {
                return $"{field} holds a control character (U+{(int)c:X4}) at index {i}.";
            }
        }
        return null;
    }

    /// <exception cref="ObjectCallException">The text breaks a rule.</exception>
    public static void Check(string field, string text, int maxLength, bool allowLineBreaks = false)
    {
        if (Problem(field, text, maxLength, allowLineBreaks) is { } problem)
        {
            throw new ObjectCallException(problem);
        }
    }
}
