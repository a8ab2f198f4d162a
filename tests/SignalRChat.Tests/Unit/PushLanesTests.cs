using SignalRChat.Push;
using SignalRChat.Push.Internal;

namespace SignalRChat.Tests.Unit;

public sealed class PushLanesTests
{
    private readonly List<(string Item, bool Replaced)> _discarded = [];

    private PushLanes<Item> NewLanes(int capacity = 4) =>
        new(capacity, item => item.To.GetHashCode(StringComparison.Ordinal), (a, b) => a.To == b.To, (item, replaced) => _discarded.Add((item.Text, replaced)));

    private sealed record Item(string Text, string To = "everyone");

    private static List<string> Drain(PushLanes<Item> lanes)
    {
        var read = new List<string>();
        while (lanes.TryRead(out var item))
        {
            read.Add(item.Text);
        }
        return read;
    }

    [Fact]
    public void Reads_SystemBeforeChatBeforePresence_EachInOrder()
    {
        var lanes = NewLanes();
        lanes.TryWrite(new Item("p1"), PushPriority.Presence);
        lanes.TryWrite(new Item("c1"), PushPriority.Chat);
        lanes.TryWrite(new Item("s1"), PushPriority.System);
        lanes.TryWrite(new Item("c2"), PushPriority.Chat);
        lanes.TryWrite(new Item("p2"), PushPriority.Presence);
        lanes.TryWrite(new Item("s2"), PushPriority.System);

        Assert.Equal(["s1", "s2", "c1", "c2", "p1", "p2"], Drain(lanes));
    }

    [Fact]
    public void APresenceItem_ReplacesTheQueuedOneWithItsKeyAndRecipients_AndGoesToTheEnd()
    {
        var lanes = NewLanes(capacity: 8);
        lanes.TryWrite(new Item("alice online"), PushPriority.Presence, "alice");
        lanes.TryWrite(new Item("bob online"), PushPriority.Presence, "bob");
        lanes.TryWrite(new Item("alice away to others", "others"), PushPriority.Presence, "alice");
        lanes.TryWrite(new Item("alice away"), PushPriority.Presence, "alice");
        lanes.TryWrite(new Item("zone"), PushPriority.Presence);
        lanes.TryWrite(new Item("zone again"), PushPriority.Presence);

        // "alice away to others" went to other recipients: it stays; "alice away" to everyone replaced "alice online".
        Assert.Equal(["bob online", "alice away to others", "alice away", "zone", "zone again"], Drain(lanes));
        Assert.Equal([("alice online", true)], _discarded);
    }

    [Fact]
    public void AFullPresenceLane_DropsItsOldest_WhileAFullChatLaneRefuses_UnlessForced()
    {
        var lanes = NewLanes(capacity: 2);
        Assert.Equal(LaneWrite.Queued, lanes.TryWrite(new Item("c1"), PushPriority.Chat));
        Assert.Equal(LaneWrite.Queued, lanes.TryWrite(new Item("c2"), PushPriority.Chat));
        Assert.Equal(LaneWrite.Full, lanes.TryWrite(new Item("c3"), PushPriority.Chat));
        Assert.Equal(LaneWrite.Queued, lanes.TryWrite(new Item("c3"), PushPriority.Chat, force: true));
        Assert.Equal(LaneWrite.Queued, lanes.TryWrite(new Item("s1"), PushPriority.System));
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(LaneWrite.Queued, lanes.TryWrite(new Item($"p{i}"), PushPriority.Presence));
        }

        Assert.Equal(["s1", "c1", "c2", "c3", "p2", "p3"], Drain(lanes));
        Assert.Equal([("p1", false)], _discarded);
    }

    [Fact]
    public async Task AWriterWaitingForRoom_GoesOnOnceTheReaderTakesAnItem()
    {
        var lanes = NewLanes(capacity: 1);
        lanes.TryWrite(new Item("c1"), PushPriority.Chat);
        var room = lanes.WaitForRoomAsync(PushPriority.Chat);
        Assert.False(room.IsCompleted);
        Assert.True(lanes.WaitForRoomAsync(PushPriority.System).IsCompleted);

        Assert.True(lanes.TryRead(out _));
        await room.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AWaitingReader_WakesForAWrite_AndEndsOnceCompletedAndEmpty()
    {
        var lanes = NewLanes();
        var readable = lanes.WaitToReadAsync().AsTask();
        Assert.False(readable.IsCompleted);
        lanes.TryWrite(new Item("c1"), PushPriority.Chat);
        Assert.True(await readable.WaitAsync(TimeSpan.FromSeconds(5)));

        lanes.Complete();
        Assert.Equal(LaneWrite.Closed, lanes.TryWrite(new Item("late"), PushPriority.Chat));
        Assert.True(await lanes.WaitToReadAsync());
        Assert.Equal(["c1"], Drain(lanes));
        Assert.False(await lanes.WaitToReadAsync());
    }
}
