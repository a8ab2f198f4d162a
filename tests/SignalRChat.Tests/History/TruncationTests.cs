using System.Text.Json;
using SignalRChat.Tests.Infrastructure;

namespace SignalRChat.Tests.History;

/// <summary>Reads that ask for messages retention dropped say so (<c>truncated</c>, <c>firstSeq</c>), instead of
/// returning what is left as if it were all.</summary>
public sealed class TruncationTests
{
    [Fact]
    public async Task ReadsAskingForDroppedMessages_SayTruncated_AndWhereTheKeptOnesStart()
    {
        await using var cluster = await ClusterFixture.StartAsync("History:ChatRoom:MaxAge=00:00:02", "History:Direct:MaxAge=00:00:02");
        const string room = "ChatRoom-short-memory";
        await using var kai = await TestClient.ConnectAsync(cluster.A, "tr-kai");
        await using var lea = await TestClient.ConnectAsync(cluster.B, "tr-lea");
        await kai.CallAsync(room, "Join");
        for (var i = 1; i <= 3; i++)
        {
            await kai.CallAsync(room, "SendMessage", new { text = $"old {i}" });
            await kai.CallAsync("Player-tr-kai", "SendDirect", new { to = "tr-lea", text = $"old dm {i}" });
        }
        await Eventually.TrueAsync(async () => Texts(await kai.CallAsync(room, "GetMessages", new { afterSeq = 0 })).Count == 0,
            "the first messages aging out");
        await Eventually.TrueAsync(async () => Texts(await lea.CallAsync("Player-tr-lea", "GetDirectMessages", new { with = "tr-kai", afterSeq = 0 })).Count == 0,
            "the first direct messages aging out");

        var nothingKept = await kai.CallAsync(room, "GetMessages", new { afterSeq = 1 });
        Assert.True(nothingKept.GetProperty("truncated").GetBoolean());
        Assert.Equal(4, nothingKept.GetProperty("firstSeq").GetInt64());
        for (var i = 4; i <= 5; i++)
        {
            await kai.CallAsync(room, "SendMessage", new { text = $"new {i}" });
            await kai.CallAsync("Player-tr-kai", "SendDirect", new { to = "tr-lea", text = $"new dm {i}" });
        }

        var catchUp = await kai.CallAsync(room, "GetMessages", new { afterSeq = 1 });
        var scrollUp = await kai.CallAsync(room, "GetMessages", new { beforeSeq = 6, limit = 10 });
        var fromKept = await kai.CallAsync(room, "GetMessages", new { afterSeq = 3 });
        var direct = await lea.CallAsync("Player-tr-lea", "GetDirectMessages", new { with = "tr-kai", afterSeq = 0 });

        Assert.Equal(["new 4", "new 5"], Texts(catchUp));
        Assert.True(catchUp.GetProperty("truncated").GetBoolean());
        Assert.Equal(4, catchUp.GetProperty("firstSeq").GetInt64());
        Assert.Equal(["new 4", "new 5"], Texts(scrollUp));
        Assert.True(scrollUp.GetProperty("truncated").GetBoolean());
        Assert.Equal(4, scrollUp.GetProperty("firstSeq").GetInt64());
        Assert.False(fromKept.GetProperty("truncated").GetBoolean());
        Assert.Equal(JsonValueKind.Null, fromKept.GetProperty("firstSeq").ValueKind);
        Assert.Equal(["new dm 4", "new dm 5"], Texts(direct));
        Assert.True(direct.GetProperty("truncated").GetBoolean());
        Assert.Equal(4, direct.GetProperty("firstSeq").GetInt64());
    }

    [Fact]
    public async Task TheConsoleClient_SaysHowManyMessagesAreNoLongerAvailable_InsteadOfSkippingThem()
    {
        await using var cluster = await ClusterFixture.StartAsync("History:ChatRoom:MaxAge=00:00:02");
        const string room = "ChatRoom-gap";
        // Connected first: the join below reads the room within milliseconds of the last send, well inside its 2 s.
        await using var reader = await ConsoleClient.ConnectAsync(cluster.B, "gap-reader");
        await using (var writer = await TestClient.ConnectAsync(cluster.A, "gap-writer"))
        {
            await writer.CallAsync(room, "Join");
            for (var i = 1; i <= 3; i++)
            {
                await writer.CallAsync(room, "SendMessage", new { text = $"old {i}" });
            }
            await Eventually.TrueAsync(async () => Texts(await writer.CallAsync(room, "GetMessages", new { afterSeq = 0 })).Count == 0,
                "the first messages aging out");
            await writer.CallAsync(room, "SendMessage", new { text = "new 4" });
        }

        await reader.SendLineAsync("/join gap");

        await reader.ExpectAsync(line => line == "* 3 older messages are no longer available", "the gap, told");
        Assert.Equal("gap-writer: new 4", await reader.NextMessageAsync());
    }

    private static List<string?> Texts(JsonElement page) => [.. page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString())];
}
