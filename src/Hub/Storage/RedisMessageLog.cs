using System.Globalization;
using Microsoft.Extensions.Options;
using SignalRChat.Hub.Hosting;
using SignalRChat.Objects.History;
using SignalRChat.Push.Internal;
using StackExchange.Redis;

namespace SignalRChat.Hub.Storage;

/// <summary>
/// Histories as Redis Streams, one per log (<c>{ClusterId}:history:{log}</c>). An entry's stream ID is
/// <c>{seq}-0</c>, so reads by sequence number are range reads, and Redis itself refuses a number already stored. An
/// entry holds its timestamp (<c>t</c>), body (<c>m</c>) and, for a send that had one, its idempotency key (<c>k</c>):
/// appending writes about the message's own size. Receipts
/// are a hash beside it (<c>{ClusterId}:receipts:{log}</c>, seq → time), written with HSETNX so the first one wins.
/// </summary>
internal sealed class RedisMessageLog(BackplaneHost backplane, IOptions<ClusterOptions> cluster, TimeProvider time) : IMessageLog
{
    // Drops what is older than ARGV[2] (Unix ms; 0 keeps everything), at most 200 entries a call: every append calls it,
    // so an active log never falls behind, and opening a log catches up an idle one.
    private const string TrimByAge = """
        local function trimByAge(key, cutoff)
          if cutoff <= 0 then return end
          local oldest = redis.call('XRANGE', key, '-', '+', 'COUNT', 1)
          if #oldest == 0 or tonumber(oldest[1][2][2]) >= cutoff then return end
          local batch = redis.call('XRANGE', key, '-', '+', 'COUNT', 200)
          local keep = nil
          for _, entry in ipairs(batch) do
            if tonumber(entry[2][2]) >= cutoff then keep = entry[1]; break end
          end
          if keep == nil then
            keep = (tonumber(string.match(batch[#batch][1], '^(%d+)')) + 1) .. '-0'
          end
          redis.call('XTRIM', key, 'MINID', keep)
        end
        """;

    // KEYS[1] the stream; ARGV[1] MaxMessages, ARGV[2] the age cutoff, then seq, timestamp, body and key ('' for none)
    // of each entry. The first XADD fails, writing nothing, when its ID is not above the stream's last one.
    private const string Append = TrimByAge + "\n" + """
        for i = 3, #ARGV, 4 do
          if ARGV[i + 3] == '' then
            redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], ARGV[i] .. '-0', 't', ARGV[i + 1], 'm', ARGV[i + 2])
          else
            redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], ARGV[i] .. '-0', 't', ARGV[i + 1], 'm', ARGV[i + 2], 'k', ARGV[i + 3])
          end
        end
        trimByAge(KEYS[1], tonumber(ARGV[2]))
        return 1
        """;

    // KEYS[1] the stream; ARGV[1] the age cutoff. Returns the last ID ever added, trimmed or not, or 0.
    private const string Open = TrimByAge + "\n" + """
        if redis.call('EXISTS', KEYS[1]) == 0 then return '0-0' end
        trimByAge(KEYS[1], tonumber(ARGV[1]))
        local info = redis.call('XINFO', 'STREAM', KEYS[1])
        for i = 1, #info, 2 do
          if info[i] == 'last-generated-id' then return info[i + 1] end
        end
        return '0-0'
        """;

    private const string TimestampField = "t";
    private const string BodyField = "m";
    private const string KeyField = "k";

    public async Task<long> OpenAsync(string log, HistoryRetention retention)
    {
        var last = await Database.ScriptEvaluateAsync(Open, [Key(log)], [Cutoff(retention)]);
        return SeqOf((string)last!);
    }

    public async Task AppendAsync(string log, IReadOnlyList<LogEntry> entries, HistoryRetention retention)
    {
        if (entries.Count == 0)
        {
            return;
        }
        var args = new RedisValue[2 + 4 * entries.Count];
        args[0] = retention.MaxMessages;
        args[1] = Cutoff(retention);
        for (var i = 0; i < entries.Count; i++)
        {
            args[2 + 4 * i] = entries[i].Seq;
            args[3 + 4 * i] = entries[i].Timestamp;
            args[4 + 4 * i] = entries[i].Body;
            args[5 + 4 * i] = entries[i].Key ?? "";
        }
        try
        {
            await Database.ScriptEvaluateAsync(Append, [Key(log)], args);
        }
        catch (RedisServerException e) when (e.Message.Contains("equal or smaller than the target stream top item", StringComparison.Ordinal))
        {
            throw new LogConflictException(log, entries[0].Seq);
        }
    }

    public async Task<bool> AddReceiptAsync(string log, long seq, long at, HistoryRetention retention)
    {
        var key = ReceiptsKey(log);
        var transaction = Database.CreateTransaction();
        var first = transaction.HashSetAsync(key, seq, at, When.NotExists);
        _ = transaction.KeyExpireAsync(key, retention.MaxAge);
        await transaction.ExecuteAsync();
        return await first;
    }

    public async Task<IReadOnlyDictionary<long, long>> ReadReceiptsAsync(string log, IReadOnlyList<long> seqs)
    {
        if (seqs.Count == 0)
        {
            return new Dictionary<long, long>();
        }
        var values = await Database.HashGetAsync(ReceiptsKey(log), [.. seqs.Select(seq => (RedisValue)seq)]);
        var receipts = new Dictionary<long, long>();
        for (var i = 0; i < seqs.Count; i++)
        {
            if (values[i].HasValue)
            {
                receipts[seqs[i]] = (long)values[i];
            }
        }
        return receipts;
    }

    public Task DeleteAsync(string log) => Database.KeyDeleteAsync([Key(log), ReceiptsKey(log)]);

    public async Task<IReadOnlyList<LogEntry>> ReadAsync(string log, LogRange range)
    {
        var after = range.AfterSeq is { } a ? $"{a + 1}-0" : "-";
        var before = range.BeforeSeq is { } b ? (b <= 1 ? null : $"{b - 1}-0") : "+";
        if (before is null)
        {
            return [];
        }
        var entries = range.IsBackward
            ? await Database.StreamRangeAsync(Key(log), after, before, range.Limit, Order.Descending)
            : await Database.StreamRangeAsync(Key(log), after, before, range.Limit, Order.Ascending);
        var page = entries.Select(ToEntry);
        return range.IsBackward ? page.Reverse().ToList() : page.ToList();
    }

    private IDatabase Database => backplane.Redis.GetDatabase();

    private RedisKey Key(string log) => $"{cluster.Value.ClusterId}:history:{log}";

    private RedisKey ReceiptsKey(string log) => $"{cluster.Value.ClusterId}:receipts:{log}";

    private long Cutoff(HistoryRetention retention) => (time.GetUtcNow() - retention.MaxAge).ToUnixTimeMilliseconds();

    private static LogEntry ToEntry(StreamEntry entry)
    {
        long timestamp = 0;
        ReadOnlyMemory<byte> body = default;
        string? key = null;
        foreach (var field in entry.Values)
        {
            if (field.Name == TimestampField)
            {
                timestamp = (long)field.Value;
            }
            else if (field.Name == BodyField)
            {
                body = (byte[])field.Value!;
            }
            else if (field.Name == KeyField)
            {
                key = field.Value;
            }
        }
        return new LogEntry(SeqOf(entry.Id!), timestamp, body, key);
    }

    private static long SeqOf(string streamId) =>
        long.Parse(streamId.AsSpan(0, streamId.IndexOf('-')), NumberStyles.None, CultureInfo.InvariantCulture);
}
