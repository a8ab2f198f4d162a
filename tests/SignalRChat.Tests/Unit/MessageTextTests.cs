using SignalRChat.Objects.Chat;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Tests.Unit;

/// <summary>The message text rule shared by channels and direct messages. (Over the wire, the official clients already
/// replace an unpaired surrogate; a hand-made frame can still carry one.)</summary>
public sealed class MessageTextTests
{
    [Fact]
    public void BadText_IsRefusedWithTheReason()
    {
        // In code, not as theory data: test data is passed around as UTF-8, which cannot hold an unpaired surrogate.
        (string Text, string Expected)[] cases =
        [
            ("x" + (char)0xD800 + "y", "text holds an unpaired surrogate at index 1: it is not valid Unicode text."),
            (((char)0xDC00).ToString(), "text holds an unpaired surrogate at index 0: it is not valid Unicode text."),
            ("a\u0000b", "text holds a control character (U+0000) at index 1."),
            ("abc\u2066def", "text holds a bidirectional formatting character (U+2066) at index 3: it can make text show in another order than it is read."),
        ];
        foreach (var (text, expected) in cases)
        {
            Assert.Equal(expected, Assert.Throws<ObjectCallException>(() => MessageText.Check(text)).Message);
        }
    }

    [Fact]
    public void Text_IsTrimmedAndNormalizedToNfc_KeepingLineBreaksAndPairs()
    {
        Assert.Equal("caf\u00E9", MessageText.Check("  cafe\u0301 "));
        Assert.Equal("two\nlines\tand 👋", MessageText.Check("two\nlines\tand 👋"));
    }
}
