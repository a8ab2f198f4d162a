using System.Text;
using SignalRChat.Load.Crowd;

namespace SignalRChat.Tests.Load;

/// <summary>
/// The presence benchmark's accounting: a change a follower missed is superseded when the follower got a later change
/// of the same user (the presence class coalesces queued changes), and lost otherwise.
/// </summary>
public sealed class PresenceRecorderTests
{
    private static readonly string[] Users = ["alice", "bob", "carol"];

    [Fact]
    public void AMissedChange_IsSupersededWhenALaterOneArrived_AndLostWhenNoneDid()
    {
        var recorder = new PresenceRecorder(Users, messagePack: false);
        recorder.Begin(phase: 1, expected: 6);
        foreach (var sentAt in new long[] { 100, 200, 300 })
        {
            recorder.Asked(0, sentAt); // alice changes three times; bob and carol follow her
        }
        var bob = recorder.SinkFor(1);
        var carol = recorder.SinkFor(2);

        Deliver(bob, "alice", "1:300");            // bob got only the newest: 100 and 200 were replaced while queued
        Deliver(carol, "alice", "1:100");
        Deliver(carol, "alice", "1:200");          // carol never got 300: lost
        Deliver(carol, "alice", "0:400");          // an earlier phase's: ignored
        Deliver(recorder.SinkFor(0), "alice", "1:300"); // alice's own presence: not a follower's delivery

        Assert.Equal(3, recorder.Count);
        Assert.Equal((Superseded: 2L, Lost: 1L), recorder.Missing(owed: 6));
    }

    [Fact]
    public void ANewPhase_ForgetsWhatTheLastOneHeard()
    {
        var recorder = new PresenceRecorder(Users, messagePack: false);
        recorder.Begin(phase: 1, expected: 2);
        recorder.Asked(0, 100);
        recorder.Asked(0, 200);
        Deliver(recorder.SinkFor(1), "alice", "1:200");
        Assert.Equal((Superseded: 1L, Lost: 0L), recorder.Missing(owed: 2));

        recorder.Begin(phase: 2, expected: 1);
        recorder.Asked(0, 300);
        Deliver(recorder.SinkFor(1), "alice", "1:200"); // late, of phase 1

        Assert.Equal(0, recorder.Count);
        Assert.Equal((Superseded: 0L, Lost: 1L), recorder.Missing(owed: 1));
    }

    private static void Deliver(IInvocationSink sink, string user, string text) =>
        sink.Invocation("PresenceChanged"u8, Encoding.UTF8.GetBytes($$"""[{"user":"{{user}}","status":"in-game","text":"{{text}}"}]"""));
}
