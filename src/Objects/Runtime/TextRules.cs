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
            else if (IsBidiControl(c))
            {
                return $"{field} holds a bidirectional formatting character (U+{(int)c:X4}) at index {i}: it can make text show in another order than it is read.";
            }
        }
        return null;
    }

    /// <summary>The embedding, override and isolate characters (U+202A-U+202E, U+2066-U+2069), which reorder how text
    /// shows: refused in names, keys and texts.</summary>
    public static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    /// <summary>Whether <paramref name="text"/> holds a surrogate that is not part of a pair.</summary>
    public static bool HasUnpairedSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }
        return false;
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
