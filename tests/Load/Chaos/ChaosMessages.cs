using MessagePack;

namespace SignalRChat.Load.Chaos;

// What the chaos members read, over JSON (camelCase names) and MessagePack (the same names as string keys).

/// <summary>A room's message, as pushed (<c>NewMessage</c>) and returned (<c>SendMessage</c>, <c>GetMessages</c>).</summary>
[MessagePackObject]
public sealed record ChaosMessage([property: Key("room")] string Room, [property: Key("seq")] long Seq, [property: Key("user")] string User,
    [property: Key("text")] string Text);

/// <summary>What <c>Join</c> returns.</summary>
[MessagePackObject]
public sealed record ChaosRoomInfo([property: Key("room")] string Room, [property: Key("lastSeq")] long LastSeq);

/// <summary>What <c>GetMessages</c> returns.</summary>
[MessagePackObject]
public sealed record ChaosPage([property: Key("messages")] ChaosMessage[] Messages, [property: Key("lastSeq")] long LastSeq,
    [property: Key("truncated")] bool Truncated, [property: Key("firstSeq")] long? FirstSeq);
