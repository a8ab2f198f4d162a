using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using SignalRChat.Objects.History;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Chat;

/// <summary>
/// A world channel (<c>World-{id}</c>): open to everyone, joined per connection like a room, for many members and
/// high volume. Each user may send at most <c>Channels:World:MessagesPerSecond</c>; the history is short
/// (<c>History:World</c>).
/// </summary>
[ObjectType("World")]
[Reentrant]
public sealed class World(
    [PersistentState("state", ObjectStorage.Name)] IPersistentState<ChatRoomState> state,
    IMessageLog log,
    IOptions<HistoryOptions> history,
    IOptions<WorldOptions> options,
    IClientPush push,
    IClientDirectory clients,
    ILogger<World> logger) : RoomChannel(state, log, history.Value.World, push, clients, logger)
{
    private readonly Dictionary<string, SendBudget> _budgets = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    protected override void OnSending(string user)
    {
        var rate = options.Value.MessagesPerSecond;
        var budget = _budgets.TryGetValue(user, out var known) ? known : _budgets[user] = new SendBudget(rate);
        if (!budget.TryTake(rate, Environment.TickCount64))
        {
            throw new ObjectCallException($"You are sending too fast in {Id}: at most {rate:0.##} messages a second.");
        }
    }

    /// <inheritdoc/>
    protected override void OnUserLeft(string user) => _budgets.Remove(user);

    /// <summary>A token bucket: holds up to one second's worth of sends, refilled continuously.</summary>
    private sealed class SendBudget(double rate)
    {
        private double _tokens = rate;
        private long _at = Environment.TickCount64;

        public bool TryTake(double rate, long now)
        {
            _tokens = Math.Min(rate, _tokens + (now - _at) * rate / 1000);
            _at = now;
            if (_tokens < 1)
            {
                return false;
            }
            _tokens--;
            return true;
        }
    }
}
