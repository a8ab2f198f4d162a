namespace SignalRChat.Objects.History;

/// <summary>An append was refused because the log already holds its sequence number: another writer appended to it.</summary>
public sealed class LogConflictException(string log, long seq)
    : Exception($"History {log} already holds message {seq}: another writer appended to it.");
