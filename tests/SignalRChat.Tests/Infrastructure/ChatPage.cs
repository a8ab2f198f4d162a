using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SignalRChat.Tests.Infrastructure;

/// <summary>The web client (<c>src/Client.Web</c>) in a real browser tab, used as a person would: forms, buttons, Enter.</summary>
public sealed class ChatPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _pageErrors = [];

    private ChatPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.PageError += (_, error) => _pageErrors.Add(error);
    }

    public IPage Page { get; }

    public ILocator Status => Page.Locator("#status");

    public ILocator Error => Page.Locator("#error");

    public ILocator MessageTexts => Page.Locator("#messages li .text");

    public ILocator Members => Page.Locator("#members li .name");

    /// <summary>The status dot of a member: its class names the status (<c>dot busy</c>).</summary>
    public ILocator MemberDot(string user) => Page.Locator("#members li", new() { Has = Page.Locator(".name", new() { HasTextRegex = new($"^{user}$") }) }).Locator(".dot");

    /// <summary>The status text shown beside a member (their status text, or their status).</summary>
    public ILocator MemberPresenceText(string user) => Page.Locator("#members li", new() { Has = Page.Locator(".name", new() { HasTextRegex = new($"^{user}$") }) }).Locator(".presence-text");

    /// <summary>Opens the page served by <paramref name="baseUrl"/>, logs in as <paramref name="user"/> and waits until connected.</summary>
    public static async Task<ChatPage> OpenAsync(BrowserFixture browser, string baseUrl, string user, Protocol protocol = Protocol.Json,
        ViewportSize? viewport = null)
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = viewport ?? new() { Width = 1280, Height = 800 } });
        var page = new ChatPage(context, await context.NewPageAsync());
        await page.Page.GotoAsync(baseUrl);
        await page.Page.FillAsync("#login-name", user);
        await page.Page.SelectOptionAsync("#login-protocol", protocol == Protocol.MessagePack ? "messagepack" : "json");
        await page.Page.PressAsync("#login-name", "Enter");
        await Expect(page.Status).ToHaveTextAsync("connected");
        return page;
    }

    /// <summary>Types the room name and presses Enter; waits until the page shows the room.</summary>
    public async Task JoinAsync(string room)
    {
        await Page.FillAsync("#room-name", room);
        await Page.PressAsync("#room-name", "Enter");
        await Expect(Page.Locator("#room-heading")).ToContainTextAsync($"ChatRoom-{room}");
        await Expect(Page.Locator("#message-input")).ToBeEnabledAsync();
    }

    /// <summary>Types a message and presses Enter; waits until the page shows it as sent (the input clears).</summary>
    public async Task SendAsync(string text)
    {
        await Page.FillAsync("#message-input", text);
        await Page.PressAsync("#message-input", "Enter");
        // The input clears once the server has stored the message and the page has shown it.
        await Expect(Page.Locator("#message-input")).ToHaveValueAsync("");
    }

    /// <summary>Uncaught script errors the page raised; a working page raises none.</summary>
    public IReadOnlyList<string> PageErrors => _pageErrors;

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
