using SignalRChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SignalRChat.Tests.Browser;

/// <summary>The web client across a restart of the instance it is connected to (a cluster of its own).</summary>
public sealed class WebClientRestartTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task PageWhoseInstanceRestarts_ReconnectsRejoinsAndShowsEverythingSentMeanwhile()
    {
        await using var cluster = await ClusterFixture.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser, cluster.A.Url, "alice");
        await using var bob = await ChatPage.OpenAsync(browser, cluster.B.Url, "bob");
        await alice.JoinAsync("restarts");
        await bob.JoinAsync("restarts");
        await bob.SendAsync("before");
        await Expect(alice.MessageTexts).ToHaveTextAsync(["before"]);

        await cluster.StopAAsync();
        await Expect(alice.Status).Not.ToHaveTextAsync("connected");
        await bob.SendAsync("while A was down 1");
        await bob.SendAsync("while A was down 2");
        await cluster.StartAAgainAsync();

        await Expect(alice.Status).ToHaveTextAsync("connected", new() { Timeout = 60_000 });
        await Expect(alice.MessageTexts).ToHaveTextAsync(["before", "while A was down 1", "while A was down 2"]);
        await bob.SendAsync("after");
        await Expect(alice.MessageTexts).ToHaveTextAsync(["before", "while A was down 1", "while A was down 2", "after"]);
        await alice.SendAsync("alice is back");
        await Expect(bob.MessageTexts).ToHaveTextAsync(["before", "while A was down 1", "while A was down 2", "after", "alice is back"]);
        Assert.Empty(alice.PageErrors.Concat(bob.PageErrors));
    }
}
