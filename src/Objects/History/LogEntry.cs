namespace SignalRChat.Objects.History;

/// <summary>One stored message: its sequence number in the log, when it was stored (Unix milliseconds, UTC), and its
/// serialized body.</summary>
public readonly record struct LogEntry(long Seq, long Timestamp, ReadOnlyMemory<byte> Body);
