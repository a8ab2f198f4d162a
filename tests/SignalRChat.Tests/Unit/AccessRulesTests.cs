using Microsoft.Extensions.Options;
using SignalRChat.Hub.Access;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Tests.Unit;

public sealed class AccessRulesTests
{
    private static AccessOptions Options(params string[] methods) => new()
    {
        Objects = { ["ChatRoom"] = new ObjectAccessRule { Methods = string.Join(" , ", methods), Create = false } },
    };

    [Fact]
    public void ListedMethod_IsAllowed_AndAnythingElseRefused()
    {
        var rules = new AccessRules(Microsoft.Extensions.Options.Options.Create(Options("Join", "SendMessage")));

        Assert.Null(rules.RefuseCall("ChatRoom", "Join"));
        Assert.Equal("Clients may not call ChatRoom.GetMessages.", rules.RefuseCall("ChatRoom", "GetMessages"));
        Assert.Equal("Clients may not call ChatRoom.join.", rules.RefuseCall("ChatRoom", "join"));
        Assert.Equal("Clients may not call Lobby.Join.", rules.RefuseCall("Lobby", "Join"));
        Assert.Equal("Clients may not create ChatRoom objects.", rules.RefuseCreate("ChatRoom"));
    }

    [Fact]
    public void NoRules_RefuseEverything()
    {
        var rules = new AccessRules(Microsoft.Extensions.Options.Options.Create(new AccessOptions()));

        Assert.NotNull(rules.RefuseCall("ChatRoom", "Join"));
        Assert.NotNull(rules.RefuseCreate("ChatRoom"));
    }

    [Fact]
    public void Validator_RefusesRulesForUnknownTypesAndMethods()
    {
        var options = Options("Join", "Jion");
        options.Objects["Lobby"] = new ObjectAccessRule();

        var result = new AccessOptionsValidator(ObjectCatalog.Default).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Access:Objects:ChatRoom:Methods names 'Jion', which ChatRoom does not have. Methods: Join, Leave, SendMessage, GetMessages, ListMembers, Typing, MarkRead, Kick, Mute, Unmute, Ban, Unban, SetModerator, SetPrivate, Allow, Disallow, GetModeration.", result.Failures!);
        Assert.Contains("Access:Objects:Lobby names no object type. Types: ChatRoom, Guild, Party, Player, World, Zone.", result.Failures!);
    }

    [Fact]
    public void Validator_AcceptsTheShippedRules()
    {
        Assert.Equal(ValidateOptionsResult.Success, new AccessOptionsValidator(ObjectCatalog.Default).Validate(null, Options("Join", "Leave", "SendMessage", "GetMessages", "ListMembers")));
    }
}
