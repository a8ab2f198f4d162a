using SignalRChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SignalRChat.Tests.Browser;

/// <summary>The page says when messages it would show are no longer kept, instead of skipping them.</summary>
public sealed class WebClientGapTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task MessagesDroppedByRetention_ShowAsALineSayingHowMany()
    {
        await using var cluster = await ClusterFixture.StartAsync("History:ChatRoom:MaxAge=00:00:02");
        const string room = "ChatRoom-web-gap";
        // Logged in first: the join below reads the room within milliseconds of the last send, well inside its 2 s.
        await using var page = await ChatPage.OpenAsync(browser, cluster.B.Url, "wgap-reader");
        await using (var writer = await TestClient.ConnectAsync(cluster.A, "wgap-writer"))
        {
            await writer.CallAsync(room, "Join");
            for (var i = 1; i <= 2; i++)
            {
                await writer.CallAsync(room, "SendMessage", new { text = $"old {i}" });
            }
            await Eventually.TrueAsync(async () => (await writer.CallAsync(room, "GetMessages", new { afterSeq = 0 })).GetProperty("messages").GetArrayLength() == 0,
                "the first messages aging out");
            await writer.CallAsync(room, "SendMessage", new { text = "new 3" });
        }

        await page.JoinAsync("web-gap");

        await Expect(page.Page.Locator("#messages li.gap")).ToHaveTextAsync("2 older messages are no longer available");
        await Expect(page.MessageTexts).ToHaveTextAsync(["new 3"]);
        // The line stands where the dropped messages were: before the first one kept.
        Assert.Equal(1, await page.Page.Locator("#messages li.gap + li .text").CountAsync());
        Assert.Empty(page.PageErrors);
    }
}
