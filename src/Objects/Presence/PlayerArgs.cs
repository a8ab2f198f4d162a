using System.Text.Json;

namespace SignalRChat.Objects.Presence;

/// <summary>Args of <c>Player.SetStatus</c>: <paramref name="Text"/> null keeps the current text, "" clears it.</summary>
public sealed record SetStatusArgs(string Status, string? Text = null);

/// <summary>Args of <c>Player.SetActivity</c>: a JSON object, or null to clear it.</summary>
public sealed record SetActivityArgs(JsonElement? Activity = null);

/// <summary>Args of <c>Player.Follow</c>, <c>Unfollow</c> and <c>GetPresence</c>.</summary>
public sealed record UsersArgs(IReadOnlyList<string> Users);
