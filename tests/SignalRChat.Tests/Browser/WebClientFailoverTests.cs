using SignalRChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SignalRChat.Tests.Browser;

/// <summary>The web page when the instance that served it dies: it moves to another instance and misses nothing.</summary>
public sealed class WebClientFailoverTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task PageWhoseInstanceIsKilled_MovesToAnotherInstance_AndShowsEverythingSentMeanwhile()
    {
        await using var cluster = await FailoverPair.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser, cluster.Doomed.Url, "alice");
        await using var bob = await ChatPage.OpenAsync(browser, cluster.Survivor.Url, "bob");
        await alice.JoinAsync("moves");
        await bob.JoinAsync("moves");
        await bob.SendAsync("before");
        await Expect(alice.MessageTexts).ToHaveTextAsync(["before"]);

        cluster.Doomed.Crash();
        await bob.SendAsync("while moving 1");
        await bob.SendAsync("while moving 2");

        // The move can be quicker than a look at the status: what proves it is the messages.
        await Expect(alice.MessageTexts).ToHaveTextAsync(["before", "while moving 1", "while moving 2"], new() { Timeout = 30_000 });
        await Expect(alice.Status).ToHaveTextAsync("connected");
        await bob.SendAsync("after");
        await Expect(alice.MessageTexts).ToHaveTextAsync(["before", "while moving 1", "while moving 2", "after"]);
        await alice.SendAsync("alice moved");
        await Expect(bob.MessageTexts).ToHaveTextAsync(["before", "while moving 1", "while moving 2", "after", "alice moved"]);
        Assert.Empty(alice.PageErrors.Concat(bob.PageErrors));
    }
}
