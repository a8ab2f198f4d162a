using SignalRChat.Push;
using SignalRChat.Push.Internal;

namespace SignalRChat.Tests.Unit;

public sealed class ClientIdTests
{
    [Theory]
    [InlineData("hub-1/abc", "hub-1", "abc")]
    [InlineData("10.0.0.5:5000/x_y-Z", "10.0.0.5:5000", "x_y-Z")]
    public void Parse_SplitsInstanceAndConnection(string text, string instance, string connection)
    {
        var id = ClientId.Parse(text);

        Assert.Equal((instance, connection), (id.InstanceId, id.ConnectionId));
        Assert.Equal(text, id.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("nocut")]
    [InlineData("/conn")]
    [InlineData("inst/")]
    [InlineData("a/b/c")]
    [InlineData("bad inst/conn")]
    [InlineData("inst/con n")]
    public void TryParse_RefusesMalformedIds(string? text)
    {
        Assert.False(ClientId.TryParse(text, out _));
        Assert.Contains($"Invalid client ID '{text}'", Assert.Throws<ArgumentException>(() => ClientId.Parse(text)).Message);
    }

    [Fact]
    public void ToConnectionId_StripsTheInstance_AndKeepsPlainConnectionIds()
    {
        Assert.Equal("conn", ClientId.ToConnectionId("hub-1/conn"));
        Assert.Equal("conn", ClientId.ToConnectionId("conn"));
        Assert.Throws<ArgumentException>(() => ClientId.ToConnectionId("a/b/c"));
    }

    [Fact]
    public void RecipientGroups_SortsLocalRemoteAndUnroutedRecipients()
    {
        var groups = RecipientGroups.Create(["me/c1", "hub-b/c2", "hub-c/c3", "hub-b/c4", "plain"], "me", new HubConnections("me"));

        Assert.Empty(groups.Local);
        Assert.Equal(1, groups.LocalGone); // me/c1 names this instance, which does not hold it
        Assert.Equal(["hub-b/c2", "hub-b/c4"], groups.Remote["hub-b"]);
        Assert.Equal(["hub-c/c3"], groups.Remote["hub-c"]);
        Assert.Equal(["plain"], groups.Unrouted);
        Assert.Equal(["hub-b", "hub-c"], groups.Remote.Keys.Order());
    }

    [Fact]
    public void RecipientGroups_RefusesTheWholeListWhenOneIdIsMalformed()
    {
        Assert.Throws<ArgumentException>(() => RecipientGroups.Create(["me/c1", "x/y/z"], "me", new HubConnections("me")));
    }
}
