using System.Text.Json;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.History;

/// <summary>
/// One object's history in an <see cref="IMessageLog"/>, for objects whose sends interleave. Appends made while a write
/// is in flight go out together in the next write, so the rate a channel takes is not bounded by one storage round trip
/// per message. Sequence numbers are given out in call order, and written in that order.
/// A send with an idempotency key that was stored within the window (or is being stored) is not stored again:
/// <see cref="Repeat"/> finds it. Keys are stored with the messages, so the next activation knows those still kept.
/// </summary>
internal sealed class MessageHistory<T>(IMessageLog log, string name, HistoryRetention retention, TimeSpan idempotencyWindow, Action onBroken)
{
    /// <summary>The most entries one write carries.</summary>
    public const int MaxBatch = 500;

    /// <summary>The most messages one read returns.</summary>
    public const int MaxPageSize = 200;

    /// <summary>The most idempotency keys remembered; past it the oldest are forgotten before the window ends.</summary>
    public const int MaxKeys = 100_000;

    private readonly Dictionary<string, Keyed> _keys = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, long At)> _keysByAge = new();
    private List<Pending> _pending = [];
    private Task _writing = Task.CompletedTask;
    private bool _broken;

    /// <summary>The sequence number of the last message given out (stored, or being stored).</summary>
    public long LastSeq { get; private set; }

    /// <summary>The sequence number of the last message stored: those after it, up to <see cref="LastSeq"/>, are being
    /// stored, so a read does not find them yet, and that is no gap.</summary>
    private long StoredSeq { get; set; }

    /// <summary>Reads the last sequence number and the idempotency keys still in the window; call once, when the
    /// object activates.</summary>
    public async Task OpenAsync()
    {
        LastSeq = StoredSeq = await log.OpenAsync(name, retention);
        await LoadKeysAsync();
    }

    /// <summary>The message stored (or being stored) under <paramref name="key"/> within the window, if any.</summary>
    public Task<T>? Repeat(string? key)
    {
        if (key is null || !_keys.TryGetValue(key, out var keyed) || keyed.At < WindowStart())
        {
            return null;
        }
        return keyed.Message ?? Task.FromResult(JsonSerializer.Deserialize<T>(keyed.Body.Span, ObjectJson.Options)!);
    }

    /// <summary>
    /// Gives <paramref name="create"/> the next sequence number, at once, and completes when the message is stored.
    /// Check <see cref="Repeat"/> first: a <paramref name="key"/> given here is taken to be new.
    /// </summary>
    /// <exception cref="ObjectCallException">The message could not be stored; nothing after it in this activation is
    /// stored either, and the object reloads on its next call.</exception>
    public Task<T> AppendAsync(Func<long, long, T> create, string? key = null)
    {
        if (_broken)
        {
            throw NotStored();
        }
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var message = create(LastSeq + 1, timestamp);
        LastSeq++;
        var pending = new Pending(Entry(LastSeq, timestamp, message, key));
        _pending.Add(pending);
        if (_writing.IsCompleted)
        {
            _writing = WriteAsync();
        }
        var stored = StoredAsync(pending, message);
        if (key is not null)
        {
            Remember(key, new Keyed(timestamp, stored, default));
        }
        return stored;
    }

    private static async Task<T> StoredAsync(Pending pending, T message)
    {
        await pending.Stored.Task;
        return message;
    }

    /// <summary>Reads a page for a client, oldest first, checking the caller's range, and says whether messages in
    /// that range are no longer kept.</summary>
    /// <exception cref="ObjectCallException">The range is not valid; the message says why.</exception>
    public async Task<HistoryPage<T>> ReadPageAsync(long? afterSeq, long? beforeSeq, int limit)
    {
        var range = Range(afterSeq, beforeSeq, limit);
        var entries = await ReadKeptAsync(range);
        var messages = entries.ConvertAll(e => JsonSerializer.Deserialize<T>(e.Body.Span, ObjectJson.Options)!);
        // Numbers have no gaps, and retention drops the oldest first: what is missing at the old end was dropped.
        if (range.IsBackward)
        {
            var newestAsked = Math.Min(range.BeforeSeq!.Value - 1, StoredSeq);
            var dropped = entries.Count < limit && (entries.Count > 0 ? entries[0].Seq > 1 : newestAsked >= 1);
            return new HistoryPage<T>(messages, LastSeq, dropped, dropped ? (entries.Count > 0 ? entries[0].Seq : newestAsked + 1) : null);
        }
        var firstAsked = (range.AfterSeq ?? 0) + 1;
        var truncated = entries.Count > 0 ? entries[0].Seq > firstAsked : firstAsked <= Math.Min(StoredSeq, (range.BeforeSeq ?? long.MaxValue) - 1);
        return new HistoryPage<T>(messages, LastSeq, truncated, truncated ? (entries.Count > 0 ? entries[0].Seq : LastSeq + 1) : null);
    }

    /// <summary>Reads a page, oldest first: the messages still kept (by count and age) in <paramref name="range"/>.</summary>
    public async Task<IReadOnlyList<T>> ReadAsync(LogRange range) =>
        (await ReadKeptAsync(range)).ConvertAll(e => JsonSerializer.Deserialize<T>(e.Body.Span, ObjectJson.Options)!);

    /// <summary>Reads the entries kept in <paramref name="range"/>. Entries past the age limit that the log has not
    /// trimmed yet are left out; a forward read then reads on, so the page is as full as the range allows.</summary>
    private async Task<List<LogEntry>> ReadKeptAsync(LogRange range)
    {
        var cutoff = (DateTimeOffset.UtcNow - retention.MaxAge).ToUnixTimeMilliseconds();
        var kept = new List<LogEntry>();
        while (true)
        {
            var wanted = range.Limit - kept.Count;
            var entries = await log.ReadAsync(name, range with { Limit = wanted });
            var fresh = entries.Where(e => e.Timestamp >= cutoff && e.Seq <= LastSeq).ToList();
            kept.AddRange(fresh);
            // Stale entries are only ever at the old end: once a read left none out, or the range ended, it is done.
            if (range.IsBackward || entries.Count < wanted || fresh.Count == entries.Count || kept.Count >= range.Limit)
            {
                return kept;
            }
            range = range with { AfterSeq = entries[^1].Seq };
        }
    }

    /// <summary>A caller's range, checked: <c>afterSeq</c> not negative, <c>beforeSeq</c> positive, <c>limit</c>
    /// 1 to <see cref="MaxPageSize"/>.</summary>
    /// <exception cref="ObjectCallException">The range is not valid; the message says why.</exception>
    public static LogRange Range(long? afterSeq, long? beforeSeq, int limit) =>
        limit is < 1 or > MaxPageSize ? throw new ObjectCallException($"limit must be between 1 and {MaxPageSize}; it was {limit}.")
        : afterSeq < 0 ? throw new ObjectCallException($"afterSeq must not be negative; it was {afterSeq}.")
        : beforeSeq < 1 ? throw new ObjectCallException($"beforeSeq must be positive; it was {beforeSeq}.")
        : new LogRange(afterSeq, beforeSeq, limit);

    /// <summary>The log entry a message is stored as: its JSON, as clients receive it, and its idempotency key.</summary>
    public static LogEntry Entry(long seq, long timestamp, T message, string? key = null) =>
        new(seq, timestamp, JsonSerializer.SerializeToUtf8Bytes(message, ObjectJson.Options), key);

    /// <summary>Completes when every message given a number so far is stored (or failed).</summary>
    public Task FlushAsync() => _writing;

    private async Task WriteAsync()
    {
        while (_pending.Count > 0 && !_broken)
        {
            var batch = _pending.Count <= MaxBatch ? _pending : _pending[..MaxBatch];
            _pending = _pending.Count <= MaxBatch ? [] : _pending[MaxBatch..];
            try
            {
                await log.AppendAsync(name, batch.ConvertAll(p => p.Entry), retention);
                StoredSeq = batch[^1].Entry.Seq;
                batch.ForEach(p => p.Stored.SetResult());
            }
            catch (Exception e)
            {
                // Later numbers were given out after this one: storing them would leave a gap. The next activation
                // reads what is stored and numbers on from there.
                _broken = true;
                onBroken();
                batch.ForEach(p => p.Stored.SetException(e));
                _pending.ForEach(p => p.Stored.SetException(NotStored()));
                _pending = [];
            }
        }
    }

    /// <summary>Reads the keys of the messages stored within the window, newest first, page by page.</summary>
    private async Task LoadKeysAsync()
    {
        var windowStart = WindowStart();
        var found = new List<LogEntry>();
        for (var before = LastSeq + 1; before > 1 && found.Count < MaxKeys;)
        {
            var page = await log.ReadAsync(name, new LogRange(null, before, MaxPageSize));
            found.AddRange(page.Where(e => e.Key is not null && e.Timestamp >= windowStart));
            if (page.Count < MaxPageSize || page[0].Timestamp < windowStart)
            {
                break;
            }
            before = page[0].Seq;
        }
        foreach (var entry in found.OrderBy(e => e.Seq))
        {
            Remember(entry.Key!, new Keyed(entry.Timestamp, null, entry.Body));
        }
    }

    private void Remember(string key, Keyed keyed)
    {
        _keys[key] = keyed;
        _keysByAge.Enqueue((key, keyed.At));
        var windowStart = WindowStart();
        while (_keysByAge.TryPeek(out var oldest) && (oldest.At < windowStart || _keysByAge.Count > MaxKeys))
        {
            _keysByAge.Dequeue();
            if (_keys.TryGetValue(oldest.Key, out var known) && known.At == oldest.At)
            {
                _keys.Remove(oldest.Key);
            }
        }
    }

    private long WindowStart() => (DateTimeOffset.UtcNow - idempotencyWindow).ToUnixTimeMilliseconds();

    private ObjectCallException NotStored() =>
        new(ObjectErrors.Temporary($"{name} could not store the message; retry (with the same clientMessageId)."));

    /// <summary>A message stored under an idempotency key: being stored (<see cref="Message"/>), or read back from the
    /// log (<see cref="Body"/>).</summary>
    private sealed record Keyed(long At, Task<T>? Message, ReadOnlyMemory<byte> Body);

    private sealed record Pending(LogEntry Entry)
    {
        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>A page of history for a client: the messages oldest first, the last sequence number, and whether messages
/// in the range asked for are no longer kept (<paramref name="Truncated"/>; then nothing before
/// <paramref name="FirstSeq"/> is kept).</summary>
internal sealed record HistoryPage<T>(IReadOnlyList<T> Messages, long LastSeq, bool Truncated, long? FirstSeq);
