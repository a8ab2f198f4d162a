using Microsoft.Playwright;
using SignalRChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SignalRChat.Tests.Browser;

/// <summary>The cluster page (<c>/cluster</c> in a browser) in headless Chromium.</summary>
public sealed class ClusterPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task ClusterPage_ShowsEveryInstanceWithLivePlots_AndDropsOneThatLeaves(int width, int height)
    {
        await using var cluster = await ThreeInstances.StartAsync();
        await using var alice = await TestClient.ConnectAsync(cluster.Instances[1], "alice");
        await alice.CallAsync("ChatRoom-page", "Join");
        await using var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        List<string> errors = [];
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };

        await page.GotoAsync($"{cluster.A.Url}/cluster");

        var rows = page.Locator("#instances tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(page.Locator("#status")).ToHaveTextAsync("live");
        await Expect(page.Locator("#answered-by")).ToHaveTextAsync($"answered by {cluster.A.InstanceId}");
        var aliceRow = page.Locator($"#instances tr[data-instance='{cluster.Instances[1].InstanceId}']");
        await Expect(aliceRow.Locator("td[data-label='Connections']")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("1$"));
        await Expect(aliceRow.Locator("td[data-label='Status']")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("ready$"));
        await Expect(page.Locator("#total-connections")).ToHaveTextAsync("1");
        await Expect(page.Locator("#grains li", new() { HasText = "ChatRoom" })).ToHaveCountAsync(1);
        // Four plots, a line per instance, drawn once there are two samples.
        await Expect(page.Locator("svg polyline.series")).ToHaveCountAsync(12);
        await Expect(page.Locator($"#plot-connections polyline[data-instance='{cluster.Instances[1].InstanceId}']"))
            .ToHaveAttributeAsync("points", new System.Text.RegularExpressions.Regex(@"\d+(\.\d+)?,\d+(\.\d+)? \d"), new() { Timeout = 15_000 });
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page fits the width");

        var leaving = cluster.Instances[2].InstanceId;
        await cluster.Instances[2].DisposeAsync();
        await Expect(rows).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await Expect(page.Locator($"#instances tr[data-instance='{leaving}']")).ToHaveCountAsync(0);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
