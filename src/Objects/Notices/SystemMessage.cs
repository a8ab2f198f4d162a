using System.Text.Json.Serialization;
using SignalRChat.Objects.Presence;

namespace SignalRChat.Objects.Notices;

/// <summary>A message from the game or an operator to one player, pushed as <c>SystemMessage</c> and kept until the
/// player acknowledges it with <c>Ack</c>.</summary>
[GenerateSerializer, Immutable, Alias("SignalRChat.SystemMessage")]
public sealed record SystemMessage(
    [property: Id(0)] string Id,
    [property: Id(1)] string Code,
    [property: Id(2)] string Text,
    [property: Id(3), JsonConverter(typeof(RawJsonConverter))] string? Data,
    [property: Id(4)] long Timestamp);
