using System.Diagnostics;
using System.Text;

namespace SignalRChat.Load.Crowd;

// Reading what a player receives: which event each push is, and whether it was owed.
internal sealed partial class GameRecorder
{
    /// <summary>What one player's connection receives.</summary>
    private sealed class Sink(GameRecorder recorder, int me, bool messagePack) : IInvocationSink
    {
        private readonly List<int> _entered = [];
        private readonly List<int> _left = [];

        public void Invocation(ReadOnlySpan<byte> target, ReadOnlyMemory<byte> arguments)
        {
            var phase = Volatile.Read(ref recorder._phase);
            if (target.SequenceEqual("NewMessage"u8))
            {
                var text = GamePushes.Read(arguments, messagePack).Text;
                if (Event(phase, text, out var index, out var sentAt) && phase.Kind[index] is GameKind.Guild or GameKind.Party or GameKind.World)
                {
                    phase.Record(phase.Kind[index], index, sentAt);
                }
            }
            else if (target.SequenceEqual("DirectMessage"u8))
            {
                DirectMessage(phase, GamePushes.Read(arguments, messagePack));
            }
            else if (target.SequenceEqual("Delivered"u8))
            {
                var id = GamePushes.Read(arguments, messagePack).Id;
                if (phase.ReceiptOf.TryRemove(Encoding.ASCII.GetString(id), out var receipt))
                {
                    phase.Record(GameKind.Receipt, receipt, phase.SentAt[receipt]);
                }
            }
            else if (target.SequenceEqual("SystemMessage"u8))
            {
                var fields = GamePushes.Read(arguments, messagePack);
                if (Event(phase, fields.Text, out var index, out var sentAt) && phase.Kind[index] == GameKind.SystemMessage)
                {
                    phase.Record(GameKind.SystemMessage, index, sentAt);
                }
                // Acknowledged, as a client does once it shows one: it is not kept for the next connection then.
                _ = recorder.AckAsync(me, Encoding.ASCII.GetString(fields.Id), phase, -1);
            }
            else if (target.SequenceEqual("Announcement"u8))
            {
                var text = GamePushes.Read(arguments, messagePack).Text;
                if (GamePushes.TryReadMark(text, out var number, out var k) && number == phase.Number && k is >= 0 and < MaxAnnouncements
                    && SentAt(text, out var sentAt))
                {
                    Interlocked.Increment(ref phase.Announcements[k]);
                    phase.Record(GameKind.Announcement, -1, sentAt);
                }
            }
            else if (target.SequenceEqual("PresenceChanged"u8))
            {
                PresenceChanged(phase, GamePushes.Read(arguments, messagePack));
            }
            else if (target.SequenceEqual("ZonePresence"u8) && GamePushes.TryReadZonePresence(arguments, messagePack, out var zone, _entered, _left))
            {
                ZonePresence(phase, zone, _entered, entered: true);
                ZonePresence(phase, zone, _left, entered: false);
            }
        }

        private void DirectMessage(Phase phase, PushFields fields)
        {
            if (fields.Id.IsEmpty)
            {
                return;
            }
            var id = Encoding.ASCII.GetString(fields.Id);
            var receipt = -1;
            if (Event(phase, fields.Text, out var index, out var sentAt) && phase.Kind[index] == GameKind.Direct)
            {
                phase.Record(GameKind.Direct, index, sentAt);
                // Acknowledged on receipt, as the README advises: the sender then gets Delivered, timed from here.
                receipt = phase.Add(GameKind.Receipt, 1, Stopwatch.GetTimestamp(), 1);
                phase.ReceiptOf[id] = receipt;
            }
            _ = recorder.AckAsync(me, id, phase, receipt);
        }

        private void PresenceChanged(Phase phase, PushFields fields)
        {
            var layout = recorder._layout;
            var player = GamePushes.TryReadNumber(fields.User, out var global) ? layout.Local(global) : -1;
            if (player < 0 || player == me)
            {
                return; // another shard's player, or this player's own presence
            }
            var distance = layout.Distance(me, player);
            if (distance < 1 || distance > layout.Follows)
            {
                return;
            }
            if (Event(phase, fields.Text, out var index, out var sentAt) && phase.Kind[index] == GameKind.Status && phase.Mark(index, distance - 1))
            {
                phase.Record(GameKind.Status, index, sentAt);
                return;
            }
            // Not a status change this follower has yet: the zone change's push, carrying the status text it had.
            var change = Volatile.Read(ref phase.ZoneEventOf[player]);
            if (change >= 0 && GamePushes.TryReadNumber(fields.Zone, out var zone) && zone == phase.ZoneTo[change] && phase.Mark(change, distance - 1))
            {
                phase.Record(GameKind.ZoneFollowers, change, phase.SentAt[change]);
            }
        }

        private void ZonePresence(Phase phase, int zone, List<int> names, bool entered)
        {
            foreach (var global in names)
            {
                var player = recorder._layout.Local(global);
                var change = player < 0 ? -1 : Volatile.Read(ref phase.ZoneEventOf[player]);
                if (change < 0 || zone != (entered ? phase.ZoneTo[change] : phase.ZoneFrom[change]))
                {
                    continue;
                }
                var index = change + (entered ? 1 : 2);
                if (phase.AddReceiver(index, me))
                {
                    phase.Record(GameKind.ZonePresence, index, phase.SentAt[index]);
                }
            }
        }

        /// <summary>The event a text's mark names in this phase, and its send time.</summary>
        private static bool Event(Phase phase, ReadOnlySpan<byte> text, out int index, out long sentAt)
        {
            sentAt = 0;
            return GamePushes.TryReadMark(text, out var number, out index) && number == phase.Number && index >= 0 && index < phase.Used
                && SentAt(text, out sentAt);
        }

        private static bool SentAt(ReadOnlySpan<byte> text, out long sentAt)
        {
            var second = text.IndexOf((byte)':') + 1;
            second += text[second..].IndexOf((byte)':') + 1;
            return System.Buffers.Text.Utf8Parser.TryParse(text[second..], out sentAt, out _);
        }
    }
}
