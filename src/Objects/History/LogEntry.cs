namespace SignalRChat.Objects.History;

/// <summary>One stored message: its sequence number in the log, when it was stored (Unix milliseconds, UTC), its
/// serialized body, and the sender's idempotency key when it had one (<c>{user}/{clientMessageId}</c>), by which a
/// repeat of the send is recognised, even by the next activation.</summary>
public readonly record struct LogEntry(long Seq, long Timestamp, ReadOnlyMemory<byte> Body, string? Key = null);
