namespace SignalRChat.Client.Console;

/// <summary>What the client prints: status lines, messages as <c>[HH:mm:ss] user: text</c>, and errors.</summary>
internal sealed class Output(Terminal terminal)
{
    public void Line(string text) => terminal.WriteLine(text);

    public void Message(ChatMessage message) =>
        Line($"[{DateTimeOffset.FromUnixTimeMilliseconds(message.Timestamp).ToLocalTime():HH:mm:ss}] {message.User}: {message.Text}");

    public void Error(string text) => Line($"! {text}");

    /// <summary>A party as <c>* Party-x: leader alice; members alice, bob</c>, or <c>* Party-x ended</c>.</summary>
    public void Party(PartyInfo party) =>
        Line(party.Members.Length == 0 ? $"* {party.Party} ended" : $"* {party.Party}: leader {party.Leader}; members {string.Join(", ", party.Members)}");

    /// <summary>A direct message as <c>[HH:mm:ss] alice → you: text</c> (or <c>you → bob</c>).</summary>
    public void Direct(DirectMessage message, string me) =>
        Line($"[{DateTimeOffset.FromUnixTimeMilliseconds(message.Timestamp).ToLocalTime():HH:mm:ss}] "
            + $"{(message.From == me ? "you" : message.From)} → {(message.To == me ? "you" : message.To)}: {message.Text}");

    /// <summary>A presence as <c>* bob is in-game: ranked (Zone-dust)</c>; yours as <c>* you are …</c>.</summary>
    public void Presence(Presence presence, string me) =>
        Line($"* {(presence.User == me ? "you are" : $"{presence.User} is")} {presence.Status}"
            + (presence.Text is { } text ? $": {text}" : "")
            + (presence.Zone is { } zone ? $" ({zone})" : ""));
}
