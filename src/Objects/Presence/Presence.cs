using System.Text.Json;
using System.Text.Json.Serialization;

namespace SignalRChat.Objects.Presence;

/// <summary>
/// A user's presence, as <c>PresenceChanged</c>, <c>GetPresence</c> and <c>Follow</c> show it. Times are Unix
/// milliseconds. Others see an offline or invisible user as <c>offline</c>, with only <see cref="LastSeen"/>.
/// </summary>
/// <param name="User">The user name.</param>
/// <param name="Status">One of <see cref="PresenceStatus"/>.</param>
/// <param name="Text">The user's status text, at most <see cref="Player.MaxTextLength"/> characters.</param>
/// <param name="Activity">A small JSON object the user's game sets (raw JSON here, an object on the wire).</param>
/// <param name="Zone">The zone the user is in (<c>Zone-…</c>).</param>
/// <param name="LastActiveAt">When the user last called anything.</param>
/// <param name="LastSeen">When the user last turned offline as others see it.</param>
[GenerateSerializer, Immutable, Alias("SignalRChat.Presence")]
public sealed record Presence(
    [property: Id(0)] string User,
    [property: Id(1)] string Status,
    [property: Id(2)] string? Text,
    [property: Id(3), JsonConverter(typeof(RawJsonConverter))] string? Activity,
    [property: Id(4)] string? Zone,
    [property: Id(5)] long? LastActiveAt,
    [property: Id(6)] long? LastSeen)
{
    /// <summary>The presence of a user who is offline, or whom nobody may see.</summary>
    public static Presence OfflineOf(string user, long? lastSeen) => new(user, PresenceStatus.Offline, null, null, null, null, lastSeen);

    /// <summary>Whether the two differ in what a follower is told about (everything but <see cref="LastActiveAt"/>).</summary>
    internal bool DiffersFrom(Presence other) => this with { LastActiveAt = null } != other with { LastActiveAt = null };
}

/// <summary>Writes a string that holds JSON as that JSON, and reads any JSON value back as its text.</summary>
internal sealed class RawJsonConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.ValueKind == JsonValueKind.Null ? null : document.RootElement.GetRawText();
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(value, skipInputValidation: true);
        }
    }
}
