using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SignalRChat.Objects.Notices;
using SignalRChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SignalRChat.Tests.Browser;

/// <summary>The web client in headless chromium, against the real two-instance cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WebClientTests(ClusterFixture cluster, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task TwoPagesOnTwoInstances_ChatWithEachOther_AndSeeEachOtherAsMembers()
    {
        await using var alice = await ChatPage.OpenAsync(browser, cluster.A.Url, "alice");
        await using var bob = await ChatPage.OpenAsync(browser, cluster.B.Url, "bob", Protocol.MessagePack);

        await alice.JoinAsync("browsers");
        await bob.JoinAsync("browsers");
        await Expect(alice.Members).ToHaveTextAsync(["alice", "bob"]);
        await Expect(bob.Members).ToHaveTextAsync(["alice", "bob"]);

        await alice.SendAsync("hello from instance A");
        await Expect(bob.MessageTexts).ToHaveTextAsync(["hello from instance A"]);
        await bob.SendAsync("hello back from B <b>not bold</b>");
        await Expect(alice.MessageTexts).ToHaveTextAsync(["hello from instance A", "hello back from B <b>not bold</b>"]);
        await Expect(alice.Page.Locator("#messages li").Last).ToContainTextAsync("bob");

        await bob.Page.ClickAsync("#leave-button");
        await Expect(alice.Members).ToHaveTextAsync(["alice"]);
        Assert.Empty(alice.PageErrors.Concat(bob.PageErrors));
    }

    [Fact]
    public async Task TypingOnOnePage_ShowsATypingLineOnTheOther_UntilTheMessageArrives()
    {
        await using var tess = await ChatPage.OpenAsync(browser, cluster.A.Url, "tess");
        await using var uma = await ChatPage.OpenAsync(browser, cluster.B.Url, "uma");
        await tess.JoinAsync("typing-page");
        await uma.JoinAsync("typing-page");
        await Expect(tess.Members).ToHaveTextAsync(["tess", "uma"]);

        await tess.Page.Locator("#message-input").PressSequentiallyAsync("hel");

        await Expect(uma.Page.Locator("#typing")).ToHaveTextAsync("tess is typing…");
        await tess.SendAsync("hello");
        await Expect(uma.MessageTexts).ToHaveTextAsync(["hello"]);
        // The message clears the line at once, well before the 5 s a Typing shows for on its own.
        await Expect(uma.Page.Locator("#typing")).ToHaveTextAsync("", new() { Timeout = 2000 });
        Assert.Empty(tess.PageErrors.Concat(uma.PageErrors));
    }

    [Fact]
    public async Task DirectMessages_BetweenPages_ShowADeliveredTick_AndOnesSentWhileOfflineShowOnLogin()
    {
        await using var vera = await ChatPage.OpenAsync(browser, cluster.A.Url, "web-vera");
        await using (var early = await TestClient.ConnectAsync(cluster.B, "web-walt"))
        {
            await early.CallAsync("Player-web-walt", "SendDirect", new { to = "web-xena", text = "while you were away" });
        }
        await using var walt = await ChatPage.OpenAsync(browser, cluster.B.Url, "web-walt", Protocol.MessagePack);

        await vera.Page.FillAsync("#direct-to", "web-walt");
        await vera.Page.FillAsync("#direct-text", "hi walt");
        await vera.Page.PressAsync("#direct-text", "Enter");

        await Expect(walt.Page.Locator("#direct li .text")).ToContainTextAsync(["web-vera → you: hi walt"]);
        // walt's page acknowledged it on receipt: vera's page shows the tick.
        await Expect(vera.Page.Locator("#direct li", new() { HasText = "you → web-walt: hi walt" }).Locator(".tick")).ToHaveTextAsync("✓");
        await using var xena = await ChatPage.OpenAsync(browser, cluster.A.Url, "web-xena");
        await Expect(xena.Page.Locator("#direct li .text")).ToHaveTextAsync(["web-walt → you: while you were away"]);
        // Read on login, and acknowledged then: the message now shows as delivered to walt.
        await Expect(walt.Page.Locator("#direct li", new() { HasText = "while you were away" }).Locator(".tick")).ToHaveTextAsync("✓");
        Assert.Empty(vera.PageErrors.Concat(walt.PageErrors).Concat(xena.PageErrors));
    }

    [Fact]
    public async Task TheChatList_CountsUnreadMessages_SwitchesChats_AndShowsSeenOnDirectMessages()
    {
        await using (var owner = await TestClient.ConnectAsync(cluster.B, "web-gwen"))
        {
            await owner.CreateAsync("Guild", "Guild-web-owls", new { name = "Owls" });
            await owner.CallAsync("Guild-web-owls", "Invite", new { user = "web-hugo" });
        }
        await using var hugoClient = await TestClient.ConnectAsync(cluster.B, "web-hugo");
        await hugoClient.CallAsync("Guild-web-owls", "AcceptInvite");
        await using var gwen = await TestClient.ConnectAsync(cluster.B, "web-gwen");
        for (var i = 1; i <= 3; i++)
        {
            await gwen.CallAsync("Guild-web-owls", "SendMessage", new { text = $"hoot {i}" });
        }
        await gwen.CallAsync("Player-web-gwen", "SendDirect", new { to = "web-hugo", text = "are you there?" });
        gwen.Listen("ReadUpTo");

        await using var hugo = await ChatPage.OpenAsync(browser, cluster.A.Url, "web-hugo");
        var owls = hugo.Page.Locator("#inbox li[data-key='Guild-web-owls']");
        var fromGwen = hugo.Page.Locator("#inbox li[data-key='@web-gwen']");
        await Expect(owls.Locator(".name")).ToHaveTextAsync("Owls");
        await Expect(owls.Locator(".unread")).ToHaveTextAsync("3");
        await Expect(fromGwen.Locator(".unread")).ToHaveTextAsync("1");

        // Opening the guild shows its messages and reads them; a message while another room is open counts again.
        await owls.Locator("button").ClickAsync();
        await Expect(hugo.MessageTexts).ToHaveTextAsync(["hoot 1", "hoot 2", "hoot 3"]);
        await Expect(owls.Locator(".unread")).ToBeHiddenAsync();
        await hugo.SendAsync("hoot back");
        await Expect(owls).ToHaveClassAsync("current");
        await hugo.JoinAsync("web-lobby");
        await Expect(hugo.Page.Locator("#inbox li[data-key='ChatRoom-web-lobby']")).ToHaveClassAsync("current");
        await gwen.CallAsync("Guild-web-owls", "SendMessage", new { text = "hoot 5" });
        await Expect(owls.Locator(".unread")).ToHaveTextAsync("1");
        await owls.Locator("button").ClickAsync();
        await Expect(hugo.MessageTexts.Last).ToHaveTextAsync("hoot 5");
        await Expect(owls.Locator(".unread")).ToBeHiddenAsync();

        // Opening the conversation reads it: gwen is told, and her reply shows to hugo as seen once she reads it.
        await fromGwen.Locator("button").ClickAsync();
        await Expect(fromGwen.Locator(".unread")).ToBeHiddenAsync();
        var read = await gwen.NextAsync("ReadUpTo", r => r.GetProperty("room").GetString() == "web-gwen:web-hugo", "hugo reading the conversation");
        Assert.Equal(1, read.GetProperty("seq").GetInt64());
        await hugo.Page.FillAsync("#direct-text", "here");
        await hugo.Page.PressAsync("#direct-text", "Enter");
        var mine = hugo.Page.Locator("#direct li.mine", new() { HasText = "you → web-gwen: here" });
        await Expect(mine).ToBeVisibleAsync();
        await Expect(mine.Locator(".seen")).ToHaveCountAsync(0);
        await gwen.CallAsync("Player-web-gwen", "MarkRead", new { with = "web-hugo", seq = 2 });
        await Expect(mine.Locator(".seen")).ToHaveTextAsync("seen");
        Assert.Empty(hugo.PageErrors);
    }

    [Fact]
    public async Task ASystemMessage_ShowsAsANotice_AndIsAcknowledged()
    {
        var grains = cluster.A.Services.GetRequiredService<IGrainFactory>();
        await SystemMessages.SendAsync(grains, "web-yara", "welcome", "Welcome, Yara");
        await using var page = await ChatPage.OpenAsync(browser, cluster.B.Url, "web-yara");

        await Expect(page.Page.Locator("#notices li.system .text")).ToHaveTextAsync(["Welcome, Yara"]);

        // The page acknowledged it: a second page of the same user shows only what came after.
        await SystemMessages.SendAsync(grains, "web-yara", "news", "Patch notes are out");
        await Expect(page.Page.Locator("#notices li.system .text")).ToHaveTextAsync(["Patch notes are out", "Welcome, Yara"]);
        await Eventually.TrueAsync(async () =>
        {
            await using var probe = await TestClient.ConnectAsync(cluster.A, "web-yara", listenTo: "SystemMessage");
            await probe.CallAsync("Player-web-yara", "GetInbox");
            return probe.Pending("SystemMessage") == 0;
        }, "both acknowledged by the page");
        Assert.Empty(page.PageErrors);
    }

    [Fact]
    public async Task MembersShowTheirStatus_AndAChangeOnAnotherInstanceShowsLive()
    {
        await using var alice = await ChatPage.OpenAsync(browser, cluster.A.Url, "dot-alice");
        await using var bob = await ChatPage.OpenAsync(browser, cluster.B.Url, "dot-bob", Protocol.MessagePack);
        await alice.JoinAsync("dots");
        await bob.JoinAsync("dots");
        await Expect(alice.MemberDot("dot-bob")).ToHaveClassAsync("dot online");
        await Expect(alice.Page.Locator("#my-presence")).ToHaveTextAsync("online");

        await bob.Page.SelectOptionAsync("#presence-status", "busy");
        await bob.Page.FillAsync("#presence-text", "raid at 9");
        await bob.Page.ClickAsync("#presence-button");

        await Expect(alice.MemberDot("dot-bob")).ToHaveClassAsync("dot busy");
        await Expect(alice.MemberPresenceText("dot-bob")).ToHaveTextAsync("raid at 9");
        await Expect(bob.Page.Locator("#my-presence")).ToHaveTextAsync("busy");
        await Expect(bob.MemberDot("dot-alice")).ToHaveClassAsync("dot online");

        await bob.Page.SelectOptionAsync("#presence-status", "invisible");
        await bob.Page.ClickAsync("#presence-button");
        await Expect(alice.MemberDot("dot-bob")).ToHaveClassAsync("dot offline");
        await Expect(bob.Page.Locator("#my-presence")).ToHaveTextAsync("invisible");
        Assert.Empty(alice.PageErrors.Concat(bob.PageErrors));
    }

    [Fact]
    public async Task JoiningARoom_ShowsItsRecentHistory()
    {
        await using var writer = await TestClient.ConnectAsync(cluster.B, "writer");
        await writer.CallAsync("ChatRoom-history-page", "Join");
        for (var i = 1; i <= 3; i++)
        {
            await writer.CallAsync("ChatRoom-history-page", "SendMessage", new { text = $"earlier {i}" });
        }

        await using var reader = await ChatPage.OpenAsync(browser, cluster.A.Url, "reader");
        await reader.JoinAsync("history-page");

        await Expect(reader.MessageTexts).ToHaveTextAsync(["earlier 1", "earlier 2", "earlier 3"]);
        await Expect(reader.Members).ToHaveTextAsync(["reader", "writer"]);
    }

    [Fact]
    public async Task AKickAndAMute_ShowWhoDidItAndWhy_AndTheKickedPageLeavesTheRoom()
    {
        await using var owner = await TestClient.ConnectAsync(cluster.A, "room-owner");
        await owner.CreateAsync("ChatRoom", "ChatRoom-kicking");
        await owner.CallAsync("ChatRoom-kicking", "Join");
        await using var page = await ChatPage.OpenAsync(browser, cluster.B.Url, "kicked-user");
        await page.JoinAsync("kicking");
        await Expect(page.Members).ToHaveTextAsync(["kicked-user", "room-owner"]);

        await owner.CallAsync("ChatRoom-kicking", "Mute", new { user = "kicked-user", minutes = 5, reason = "too loud" });
        await Expect(page.Error).ToContainTextAsync("room-owner muted you in ChatRoom-kicking until");
        await owner.CallAsync("ChatRoom-kicking", "Kick", new { user = "kicked-user", reason = "bye" });

        await Expect(page.Error).ToHaveTextAsync("room-owner removed you from ChatRoom-kicking: bye");
        Assert.Equal(["room-owner"], (await owner.CallAsync("ChatRoom-kicking", "ListMembers")).EnumerateArray().Select(m => m.GetString()));
        Assert.Empty(page.PageErrors);
    }

    [Fact]
    public async Task CreatingARoomThatExists_ShowsTheServersReason_AndThePageKeepsWorking()
    {
        await using var page = await ChatPage.OpenAsync(browser, cluster.A.Url, "creator");
        await page.Page.FillAsync("#room-name", "made-once");
        await page.Page.FillAsync("#room-title", "Made once");
        await page.Page.ClickAsync("#create-button");
        await Expect(page.Page.Locator("#room-heading")).ToHaveTextAsync("ChatRoom-made-once: Made once");

        await page.Page.ClickAsync("#create-button");

        await Expect(page.Error).ToHaveTextAsync("ChatRoom-made-once already exists.");
        await page.SendAsync("still works");
        await Expect(page.Error).ToBeHiddenAsync();
    }

    [Fact]
    public async Task AtPhoneWidth_NothingOverflowsSideways()
    {
        await using var page = await ChatPage.OpenAsync(browser, cluster.B.Url, "phone", viewport: new() { Width = 375, Height = 740 });
        // Several chats in the list, one with a long name: the list scrolls within its row.
        await page.JoinAsync("phones-and-their-owners-talking-about-very-long-room-names");
        await page.JoinAsync("phone-makers");
        await page.JoinAsync("phones");
        await Expect(page.Page.Locator("#inbox li")).ToHaveCountAsync(3);
        await page.SendAsync(new string('w', 300));

        var overflow = await page.Page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than a 375px screen");
        await Expect(page.Page.Locator("#message-input")).ToBeInViewportAsync();
    }
}
