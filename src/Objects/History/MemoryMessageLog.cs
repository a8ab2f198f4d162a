using System.Collections.Concurrent;

namespace SignalRChat.Objects.History;

/// <summary>Histories in this process's memory, for the embedded single-process mode: gone when the process ends.</summary>
internal sealed class MemoryMessageLog(TimeProvider time) : IMessageLog
{
    private readonly ConcurrentDictionary<string, Log> _logs = new(StringComparer.Ordinal);

    public Task<long> OpenAsync(string log, HistoryRetention retention)
    {
        var stored = _logs.GetOrAdd(log, _ => new Log());
        lock (stored)
        {
            stored.Trim(retention, time.GetUtcNow());
            return Task.FromResult(stored.LastSeq);
        }
    }

    public Task AppendAsync(string log, IReadOnlyList<LogEntry> entries, HistoryRetention retention)
    {
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }
        var stored = _logs.GetOrAdd(log, _ => new Log());
        lock (stored)
        {
            if (entries[0].Seq <= stored.LastSeq)
            {
                throw new LogConflictException(log, entries[0].Seq);
            }
            foreach (var entry in entries)
            {
                stored.Entries.Add(entry with { Body = entry.Body.ToArray() });
                stored.LastSeq = entry.Seq;
            }
            stored.Trim(retention, time.GetUtcNow());
        }
        return Task.CompletedTask;
    }

    public Task<bool> AddReceiptAsync(string log, long seq, long at, HistoryRetention retention)
    {
        var stored = _logs.GetOrAdd(log, _ => new Log());
        lock (stored)
        {
            return Task.FromResult(stored.Receipts.TryAdd(seq, at));
        }
    }

    public Task<IReadOnlyDictionary<long, long>> ReadReceiptsAsync(string log, IReadOnlyList<long> seqs)
    {
        if (!_logs.TryGetValue(log, out var stored))
        {
            return Task.FromResult<IReadOnlyDictionary<long, long>>(new Dictionary<long, long>());
        }
        lock (stored)
        {
            return Task.FromResult<IReadOnlyDictionary<long, long>>(
                seqs.Where(stored.Receipts.ContainsKey).Distinct().ToDictionary(seq => seq, seq => stored.Receipts[seq]));
        }
    }

    public Task DeleteAsync(string log)
    {
        _logs.TryRemove(log, out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<LogEntry>> ReadAsync(string log, LogRange range)
    {
        if (!_logs.TryGetValue(log, out var stored))
        {
            return Task.FromResult<IReadOnlyList<LogEntry>>([]);
        }
        lock (stored)
        {
            var inRange = stored.Entries.Where(e => e.Seq > (range.AfterSeq ?? 0) && e.Seq < (range.BeforeSeq ?? long.MaxValue));
            var page = range.IsBackward ? inRange.TakeLast(range.Limit) : inRange.Take(range.Limit);
            return Task.FromResult<IReadOnlyList<LogEntry>>(page.ToList());
        }
    }

    private sealed class Log
    {
        public List<LogEntry> Entries { get; } = [];

        public long LastSeq { get; set; }

        public Dictionary<long, long> Receipts { get; } = [];

        public void Trim(HistoryRetention retention, DateTimeOffset now)
        {
            var cutoff = (now - retention.MaxAge).ToUnixTimeMilliseconds();
            var expired = Entries.TakeWhile(e => e.Timestamp < cutoff).Count();
            var excess = Entries.Count - retention.MaxMessages;
            Entries.RemoveRange(0, Math.Max(expired, Math.Max(excess, 0)));
        }
    }
}
