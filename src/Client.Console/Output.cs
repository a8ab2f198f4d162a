namespace SignalRChat.Client.Console;

/// <summary>What the client prints: status lines, messages as <c>[HH:mm:ss] user: text</c>, and errors.</summary>
internal sealed class Output(Terminal terminal)
{
    public void Line(string text) => terminal.WriteLine(text);

    public void Message(ChatMessage message) =>
        Line($"[{DateTimeOffset.FromUnixTimeMilliseconds(message.Timestamp).ToLocalTime():HH:mm:ss}] {message.User}: {message.Text}");

    public void Error(string text) => Line($"! {text}");
}
