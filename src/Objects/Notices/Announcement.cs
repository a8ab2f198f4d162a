using System.Text.Json.Serialization;
using SignalRChat.Objects.Presence;

namespace SignalRChat.Objects.Notices;

/// <summary>A message to every connected client, pushed as <c>Announcement</c>; clients that connect within
/// <c>Announcements:Replay</c> of it receive it too.</summary>
[GenerateSerializer, Immutable, Alias("SignalRChat.Announcement")]
public sealed record Announcement(
    [property: Id(0)] string Id,
    [property: Id(1)] string Text,
    [property: Id(2), JsonConverter(typeof(RawJsonConverter))] string? Data,
    [property: Id(3)] long Timestamp);
