using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Hub.Storage;
using SignalRChat.Objects.History;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.History;

/// <summary>What every <see cref="IMessageLog"/> must do: the memory log of the embedded mode and the Redis Streams
/// log of a cluster run the same scenarios.</summary>
public abstract class MessageLogTests
{
    private static readonly HistoryRetention KeepAll = new() { MaxMessages = 100_000, MaxAge = TimeSpan.FromDays(1) };

    protected abstract IMessageLog Log { get; }

    [Fact]
    public async Task Open_ANewLog_HasNoMessages()
    {
        var log = NewLogName();

        Assert.Equal(0, await Log.OpenAsync(log, KeepAll));
        Assert.Empty(await Log.ReadAsync(log, new LogRange(0, null, 10)));
    }

    [Fact]
    public async Task Read_Forward_ReturnsTheFirstAfterSeqOldestFirst_AndBackward_TheLastBeforeSeq()
    {
        var log = NewLogName();
        await Log.AppendAsync(log, Entries(1, 10), KeepAll);

        Assert.Equal([4L, 5L, 6L], Seqs(await Log.ReadAsync(log, new LogRange(3, null, 3))));
        Assert.Equal([7L, 8L, 9L], Seqs(await Log.ReadAsync(log, new LogRange(null, 10, 3))));
        Assert.Equal([1L, 2L], Seqs(await Log.ReadAsync(log, new LogRange(null, 3, 50))));
        Assert.Equal([4L, 5L], Seqs(await Log.ReadAsync(log, new LogRange(3, 6, 50))));
        Assert.Equal([1L, 2L, 3L], Seqs(await Log.ReadAsync(log, new LogRange(null, null, 3))));
        Assert.Empty(await Log.ReadAsync(log, new LogRange(10, null, 5)));
        Assert.Empty(await Log.ReadAsync(log, new LogRange(null, 1, 5)));
    }

    [Fact]
    public async Task Append_KeepsEachEntrysTimestampAndBody()
    {
        var log = NewLogName();
        var body = Encoding.UTF8.GetBytes("{\"text\":\"héllo 👋\"}");
        await Log.AppendAsync(log, [new LogEntry(1, 1_700_000_000_123, body)], new HistoryRetention { MaxAge = TimeSpan.FromDays(36_500) });

        var entry = Assert.Single(await Log.ReadAsync(log, new LogRange(0, null, 5)));

        Assert.Equal(1_700_000_000_123, entry.Timestamp);
        Assert.Equal(body, entry.Body.ToArray());
    }

    [Fact]
    public async Task Append_KeepsTheIdempotencyKeyOfEntriesThatHaveOne()
    {
        var log = NewLogName();
        var body = Encoding.UTF8.GetBytes("{}");
        await Log.AppendAsync(log, [new LogEntry(1, 1, body, "ann/a1"), new LogEntry(2, 2, body), new LogEntry(3, 3, body, "bob/x:y")],
            new HistoryRetention { MaxAge = TimeSpan.FromDays(36_500) });

        var entries = await Log.ReadAsync(log, new LogRange(0, null, 5));

        Assert.Equal(["ann/a1", null, "bob/x:y"], entries.Select(e => e.Key));
    }

    [Fact]
    public async Task Append_ASeqAlreadyStored_IsRefusedAndWritesNothing()
    {
        var log = NewLogName();
        await Log.AppendAsync(log, Entries(1, 5), KeepAll);

        await Assert.ThrowsAsync<LogConflictException>(() => Log.AppendAsync(log, Entries(5, 7), KeepAll));

        Assert.Equal([1L, 2L, 3L, 4L, 5L], Seqs(await Log.ReadAsync(log, new LogRange(0, null, 50))));
        Assert.Equal(5, await Log.OpenAsync(log, KeepAll));
    }

    [Fact]
    public async Task Retention_ByCount_DropsTheOldest_AndTheLastSeqStays()
    {
        var log = NewLogName();
        var retention = new HistoryRetention { MaxMessages = 100, MaxAge = TimeSpan.FromDays(1) };
        for (var first = 1; first <= 1000; first += 50)
        {
            await Log.AppendAsync(log, Entries(first, first + 49), retention);
        }

        var kept = Seqs(await Log.ReadAsync(log, new LogRange(0, null, 1000)));

        // At least the newest 100; Redis trims whole blocks of its stream, so up to one block (100) more may stay.
        Assert.InRange(kept.Count, 100, 200);
        Assert.Equal(Enumerable.Range(1001 - kept.Count, kept.Count).Select(i => (long)i), kept);
        Assert.Equal(1000, await Log.OpenAsync(log, retention));
    }

    [Fact]
    public async Task Retention_ByAge_DropsOlderEntriesOnAppendAndOnOpen()
    {
        var log = NewLogName();
        var retention = new HistoryRetention { MaxMessages = 1000, MaxAge = TimeSpan.FromHours(1) };
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var old = now - (long)TimeSpan.FromHours(2).TotalMilliseconds;
        await Log.AppendAsync(log, [.. Enumerable.Range(1, 300).Select(i => Entry(i, old))], new HistoryRetention { MaxAge = TimeSpan.FromDays(1) });

        Assert.Equal(300, await Log.OpenAsync(log, retention));
        await Log.AppendAsync(log, [Entry(301, now)], retention);

        Assert.Equal([301L], Seqs(await Log.ReadAsync(log, new LogRange(0, null, 1000))));
    }

    private static string NewLogName() => $"ChatRoom-log-{Guid.NewGuid():N}";

    private static LogEntry Entry(long seq, long timestamp) => new(seq, timestamp, Encoding.UTF8.GetBytes($"{{\"seq\":{seq}}}"));

    private static List<LogEntry> Entries(long first, long last) =>
        [.. Enumerable.Range((int)first, (int)(last - first + 1)).Select(i => Entry(i, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()))];

    private static List<long> Seqs(IEnumerable<LogEntry> entries) => [.. entries.Select(e => e.Seq)];
}

public sealed class MemoryMessageLogTests : MessageLogTests
{
    protected override IMessageLog Log { get; } = new MemoryMessageLog(TimeProvider.System);
}

/// <summary>The Redis Streams log of a running instance, on a real Redis.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RedisMessageLogTests(ClusterFixture cluster) : MessageLogTests
{
    protected override IMessageLog Log => cluster.A.Services.GetRequiredService<IMessageLog>();

    [Fact]
    public void AClusterKeepsHistoriesInRedisStreams() => Assert.IsType<RedisMessageLog>(Log);
}
