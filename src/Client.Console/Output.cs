namespace SignalRChat.Client.Console;

/// <summary>Writes whole lines, one at a time, from the input loop and the push handlers alike.</summary>
internal sealed class Output(TextWriter writer)
{
    private readonly Lock _gate = new();

    public void Line(string text)
    {
        lock (_gate)
        {
            writer.WriteLine(text);
            writer.Flush();
        }
    }

    public void Message(ChatMessage message) =>
        Line($"[{DateTimeOffset.FromUnixTimeMilliseconds(message.Timestamp).ToLocalTime():HH:mm:ss}] {message.User}: {message.Text}");

    public void Error(string text) => Line($"! {text}");
}
