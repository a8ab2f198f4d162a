using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using SignalRChat.Objects.Chat;
using SignalRChat.Objects.Runtime;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.History;

/// <summary>A room's history in its log, through the hub: numbering under concurrent senders, paging both ways, and
/// rooms stored by earlier versions.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ChatHistoryTests(ClusterFixture cluster)
{
    [Fact]
    public async Task ConcurrentSends_FromBothInstances_AreNumberedWithoutGapsAndAllStoredInOrder()
    {
        const string room = "ChatRoom-concurrent";
        var senders = new List<TestClient>();
        for (var i = 0; i < 8; i++)
        {
            senders.Add(await TestClient.ConnectAsync(i % 2 == 0 ? cluster.A : cluster.B, $"sender{i}"));
        }
        try
        {
            foreach (var sender in senders)
            {
                await sender.CallAsync(room, "Join");
            }

            // Each sender keeps 25 sends in flight at once: the room stores them in shared writes.
            var sent = await Task.WhenAll(senders.SelectMany((sender, s) => Enumerable.Range(0, 25)
                .Select(n => sender.CallAsync(room, "SendMessage", new { text = $"{s}:{n}" }))));

            var seqs = sent.Select(m => m.GetProperty("seq").GetInt64()).Order().ToList();
            Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), seqs);
            var stored = await ReadAllAsync(senders[0], room);
            Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), stored.Select(m => m.GetProperty("seq").GetInt64()));
            var bySeq = sent.ToDictionary(m => m.GetProperty("seq").GetInt64(), m => m.GetProperty("text").GetString());
            Assert.All(stored, m => Assert.Equal(bySeq[m.GetProperty("seq").GetInt64()], m.GetProperty("text").GetString()));
            // A sender's own messages keep the order it sent them in.
            foreach (var s in Enumerable.Range(0, senders.Count))
            {
                var own = stored.Select(m => m.GetProperty("text").GetString()!).Where(t => t.StartsWith($"{s}:", StringComparison.Ordinal)).ToList();
                Assert.Equal(Enumerable.Range(0, 25).Select(n => $"{s}:{n}"), own);
            }
        }
        finally
        {
            foreach (var sender in senders)
            {
                await sender.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task GetMessages_BeforeSeq_PagesBackwardFromTheNewest()
    {
        const string room = "ChatRoom-scrollback";
        await using var ida = await TestClient.ConnectAsync(cluster.A, "ida");
        await ida.CallAsync(room, "Join");
        for (var i = 1; i <= 12; i++)
        {
            await ida.CallAsync(room, "SendMessage", new { text = $"m{i}" });
        }

        var newest = await ida.CallAsync(room, "GetMessages", new { beforeSeq = 13, limit = 5 });
        var older = await ida.CallAsync(room, "GetMessages", new { beforeSeq = 8, limit = 5 });
        var oldest = await ida.CallAsync(room, "GetMessages", new { beforeSeq = 3, limit = 5 });
        var none = await ida.CallAsync(room, "GetMessages", new { beforeSeq = 1, limit = 5 });

        Assert.Equal(["m8", "m9", "m10", "m11", "m12"], Texts(newest));
        Assert.Equal(["m3", "m4", "m5", "m6", "m7"], Texts(older));
        Assert.Equal(["m1", "m2"], Texts(oldest));
        Assert.Empty(Texts(none));
        Assert.Equal(12, newest.GetProperty("lastSeq").GetInt64());
    }

    [Theory]
    [InlineData("{\"beforeSeq\":0}", "beforeSeq must be positive; it was 0.")]
    [InlineData("{\"afterSeq\":-1}", "afterSeq must not be negative; it was -1.")]
    [InlineData("{\"beforeSeq\":5,\"limit\":0}", "limit must be between 1 and 200; it was 0.")]
    [InlineData("{\"beforeSeq\":\"newest\"}", "Invalid args for ChatRoom.GetMessages: 'beforeSeq' has the wrong type.")]
    public async Task GetMessages_BadRange_IsRefusedWithTheReason(string args, string expected)
    {
        await using var jay = await TestClient.ConnectAsync(cluster.B, "jay");

        var error = await Assert.ThrowsAsync<HubException>(() => jay.CallAsync("ChatRoom-ranges", "GetMessages", JsonDocument.Parse(args).RootElement));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task ARoomStoredByAnEarlierVersion_MovesItsMessagesToTheLog_AndNumbersOnFromThem()
    {
        const string key = "legacy";
        var storage = cluster.A.Services.GetRequiredKeyedService<IGrainStorage>(ObjectStorage.Name);
        var legacy = new ChatRoomState { Title = "old", LegacyMessages = [.. Enumerable.Range(1, 3).Select(Legacy)] };
        await storage.WriteStateAsync("state", ObjectId.Create("ChatRoom", key).ToGrainId(), new GrainState<ChatRoomState>(legacy));
        await using var kim = await TestClient.ConnectAsync(cluster.B, "kim");

        var joined = await kim.CallAsync($"ChatRoom-{key}", "Join");
        var sent = await kim.CallAsync($"ChatRoom-{key}", "SendMessage", new { text = "new" });

        Assert.Equal(3, joined.GetProperty("lastSeq").GetInt64());
        Assert.Equal(4, sent.GetProperty("seq").GetInt64());
        Assert.Equal(["old 1", "old 2", "old 3", "new"], (await ReadAllAsync(kim, $"ChatRoom-{key}")).Select(m => m.GetProperty("text").GetString()));
        var stored = new GrainState<ChatRoomState>();
        await storage.ReadStateAsync("state", ObjectId.Create("ChatRoom", key).ToGrainId(), stored);
        Assert.Empty(stored.State!.LegacyMessages);
        Assert.Equal("old", stored.State.Title);
    }

    private static ChatMessage Legacy(int seq) => new()
    {
        Room = "ChatRoom-legacy", Seq = seq, User = "old-timer", Text = $"old {seq}", Timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
    };

    private static async Task<List<JsonElement>> ReadAllAsync(TestClient client, string room)
    {
        var all = new List<JsonElement>();
        while (true)
        {
            var page = (await client.CallAsync(room, "GetMessages", new { afterSeq = all.Count == 0 ? 0 : all[^1].GetProperty("seq").GetInt64(), limit = 200 }))
                .GetProperty("messages").EnumerateArray().ToList();
            all.AddRange(page);
            if (page.Count < 200)
            {
                return all;
            }
        }
    }

    private static IEnumerable<string?> Texts(JsonElement page) => page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString());
}
