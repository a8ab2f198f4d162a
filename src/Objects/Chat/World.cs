using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using System.Threading.RateLimiting;
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
    // Each user's sends in this world: a bucket of one second's worth, refilled at the rate.
    private readonly PartitionedRateLimiter<string> _sends = PartitionedRateLimiter.Create<string, string>(user =>
        RateLimitPartition.GetTokenBucketLimiter(user, _ =>
            TokenBuckets.Options(options.Value.MessagesPerSecond, (int)Math.Ceiling(options.Value.MessagesPerSecond))));

    /// <inheritdoc/>
    protected override void OnSending(string user)
    {
        using var lease = _sends.AttemptAcquire(user);
        if (!lease.IsAcquired)
        {
            throw new ObjectCallException(ObjectErrors.RateLimited(
                $"You are sending too fast in {Id}: at most {options.Value.MessagesPerSecond:0.##} messages a second (Channels:World:MessagesPerSecond).",
                TokenBuckets.RetryAfter(lease)));
        }
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await base.OnDeactivateAsync(reason, cancellationToken);
        _sends.Dispose();
    }
}
