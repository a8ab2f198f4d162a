namespace SignalRChat.Tests.Unit;

public sealed class PushPriorityMappingTests
{
    [Fact]
    public void TheObjectsClasses_AreTheBackplanesValueForValue()
    {
        // The hub hands an object's class to the backplane by its value (HubClientPush).
        var objects = Enum.GetValues<SignalRChat.Objects.Runtime.PushPriority>().Select(p => (p.ToString(), (byte)p));
        var backplane = Enum.GetValues<SignalRChat.Push.PushPriority>().Select(p => (p.ToString(), (byte)p));

        Assert.Equal(backplane, objects);
    }
}
