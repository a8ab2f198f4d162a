namespace SignalRChat.Objects.History;

/// <summary>
/// Append-only, numbered message histories, one per channel or conversation. Appending costs the size of what is
/// appended, whatever the length of the history: earlier entries are never rewritten. Redis Streams in a cluster,
/// memory in embedded mode.
/// </summary>
public interface IMessageLog
{
    /// <summary>Applies the age retention and returns the highest sequence number ever appended (trimmed entries
    /// included), or 0 for a log never written.</summary>
    Task<long> OpenAsync(string log, HistoryRetention retention);

    /// <summary>
    /// Appends entries in one write. Their sequence numbers must follow on from each other; trims older entries by
    /// <paramref name="retention"/>.
    /// </summary>
    /// <exception cref="LogConflictException">The first sequence number is not above the last stored: another writer
    /// appended since this one opened the log, and nothing was written.</exception>
    Task AppendAsync(string log, IReadOnlyList<LogEntry> entries, HistoryRetention retention);

    /// <summary>Records that entry <paramref name="seq"/> was received at <paramref name="at"/>; only the first receipt
    /// of an entry is kept. Receipts are kept for the log's <see cref="HistoryRetention.MaxAge"/> after the last one.</summary>
    /// <returns>True when this was the entry's first receipt.</returns>
    Task<bool> AddReceiptAsync(string log, long seq, long at, HistoryRetention retention);

    /// <summary>When each of the entries was first received, for those that were.</summary>
    Task<IReadOnlyDictionary<long, long>> ReadReceiptsAsync(string log, IReadOnlyList<long> seqs);

    /// <summary>Deletes the log and everything in it: opening it again starts from 0.</summary>
    Task DeleteAsync(string log);

    /// <summary>Reads entries oldest first: the first <see cref="LogRange.Limit"/> after <see cref="LogRange.AfterSeq"/>,
    /// or when only <see cref="LogRange.BeforeSeq"/> is set, the last <see cref="LogRange.Limit"/> before it.</summary>
    Task<IReadOnlyList<LogEntry>> ReadAsync(string log, LogRange range);
}
