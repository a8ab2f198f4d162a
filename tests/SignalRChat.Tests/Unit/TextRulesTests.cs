using SignalRChat.Objects.Runtime;

namespace SignalRChat.Tests.Unit;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData("fine", null)]
    [InlineData("emoji 😀 pairs", null)]
    [InlineData("bell\u0007", "text holds a control character (U+0007) at index 4.")]
    [InlineData("two\nlines", "text holds a control character (U+000A) at index 3.")]
    [InlineData("12345", "text is 5 characters long; the limit is 4.")]
    public void Problem_NamesWhatIsWrong(string text, string? expected) =>
        Assert.Equal(expected, TextRules.Problem("text", text, text.StartsWith("12345") ? 4 : 100));

    [Fact]
    public void UnpairedSurrogates_AreRefused()
    {
        // Built at run time: test-case attributes would replace a lone surrogate with U+FFFD.
        var high = new string([(char)0xD800, 'x']);
        var low = new string(['x', (char)0xDC00]);
        Assert.Equal("text holds an unpaired surrogate at index 0: it is not valid Unicode text.", TextRules.Problem("text", high, 100));
        Assert.Equal("text holds an unpaired surrogate at index 1: it is not valid Unicode text.", TextRules.Problem("text", low, 100));
    }

    [Fact]
    public void LineBreaks_AreAllowedWhereAsked() =>
        Assert.Null(TextRules.Problem("text", "two\nlines\r\n\tand a tab", 100, allowLineBreaks: true));
}
