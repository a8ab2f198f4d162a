using System.Text.Json;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.History;

/// <summary>
/// One object's history in an <see cref="IMessageLog"/>, for objects whose sends interleave. Appends made while a write
/// is in flight go out together in the next write, so the rate a channel takes is not bounded by one storage round trip
/// per message. Sequence numbers are given out in call order, and written in that order.
/// </summary>
internal sealed class MessageHistory<T>(IMessageLog log, string name, HistoryRetention retention, Action onBroken)
{
    /// <summary>The most entries one write carries.</summary>
    public const int MaxBatch = 500;

    /// <summary>The most messages one read returns.</summary>
    public const int MaxPageSize = 200;

    private List<Pending> _pending = [];
    private Task _writing = Task.CompletedTask;
    private bool _broken;

    /// <summary>The sequence number of the last message given out (stored, or being stored).</summary>
    public long LastSeq { get; private set; }

    /// <summary>Reads the last sequence number; call once, when the object activates.</summary>
    public async Task OpenAsync() => LastSeq = await log.OpenAsync(name, retention);

    /// <summary>
    /// Gives <paramref name="create"/> the next sequence number, at once, and completes when the message is stored.
    /// </summary>
    /// <exception cref="ObjectCallException">The message could not be stored; nothing after it in this activation is
    /// stored either, and the object reloads on its next call.</exception>
    public async Task<T> AppendAsync(Func<long, long, T> create)
    {
        if (_broken)
        {
            throw NotStored();
        }
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var message = create(LastSeq + 1, timestamp);
        LastSeq++;
        var pending = new Pending(Entry(LastSeq, timestamp, message));
        _pending.Add(pending);
        if (_writing.IsCompleted)
        {
            _writing = WriteAsync();
        }
        await pending.Stored.Task;
        return message;
    }

    /// <summary>Reads a page, oldest first, checking the caller's range.</summary>
    /// <exception cref="ObjectCallException">The range is not valid; the message says why.</exception>
    public Task<IReadOnlyList<T>> ReadAsync(long? afterSeq, long? beforeSeq, int limit) => ReadAsync(Range(afterSeq, beforeSeq, limit));

    /// <summary>Reads a page, oldest first: the messages still kept (by count and age) in <paramref name="range"/>.</summary>
    public async Task<IReadOnlyList<T>> ReadAsync(LogRange range)
    {
        var entries = await log.ReadAsync(name, range);
        var cutoff = (DateTimeOffset.UtcNow - retention.MaxAge).ToUnixTimeMilliseconds();
        return entries.Where(e => e.Timestamp >= cutoff && e.Seq <= LastSeq)
            .Select(e => JsonSerializer.Deserialize<T>(e.Body.Span, ObjectJson.Options)!)
            .ToList();
    }

    /// <summary>A caller's range, checked: <c>afterSeq</c> not negative, <c>beforeSeq</c> positive, <c>limit</c>
    /// 1 to <see cref="MaxPageSize"/>.</summary>
    /// <exception cref="ObjectCallException">The range is not valid; the message says why.</exception>
    public static LogRange Range(long? afterSeq, long? beforeSeq, int limit) =>
        limit is < 1 or > MaxPageSize ? throw new ObjectCallException($"limit must be between 1 and {MaxPageSize}; it was {limit}.")
        : afterSeq < 0 ? throw new ObjectCallException($"afterSeq must not be negative; it was {afterSeq}.")
        : beforeSeq < 1 ? throw new ObjectCallException($"beforeSeq must be positive; it was {beforeSeq}.")
        : new LogRange(afterSeq, beforeSeq, limit);

    /// <summary>The log entry a message is stored as: its JSON, as clients receive it.</summary>
    public static LogEntry Entry(long seq, long timestamp, T message) =>
        new(seq, timestamp, JsonSerializer.SerializeToUtf8Bytes(message, ObjectJson.Options));

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

    private ObjectCallException NotStored() =>
        new($"{name} could not store the message; try again.");

    private sealed record Pending(LogEntry Entry)
    {
        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
