using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using SignalRChat.Hub.Hosting;
using SignalRChat.Objects.Runtime;
using SignalRChat.Push;
using SignalRChat.Push.Internal;
using StackExchange.Redis;

namespace SignalRChat.Hub.Auth;

/// <summary>
/// The token denylist: a user's tokens issued until a moment, or one token by its ID (<c>jti</c>), kept for a token's
/// lifetime (<see cref="AuthOptions.TokenLifetime"/>), after which revoked tokens have expired anyway. Kept in Redis (a
/// hash, and a channel that tells every instance at once) and in memory on every instance, so checking a token costs no
/// round trip. A revoked token is refused on connect, and every instance closes its open connections that hold one
/// within moments of the revocation. Administrators can also disconnect a user everywhere without revoking anything.
/// </summary>
internal sealed class Revocations(BackplaneHost backplane, ClusterInstances instances, IOptions<ClusterOptions> cluster,
    IOptions<AuthOptions> auth, ILogger<Revocations> logger) : IHostedService
{
    /// <summary>The close reason of a connection whose token was revoked.</summary>
    public const string RevokedReason = "Your session was revoked by an administrator: log in again.";

    /// <summary>The close reason of a connection an administrator disconnected.</summary>
    public const string DisconnectedReason = "An administrator disconnected you.";

    private const string UserPrefix = "user:", TokenPrefix = "token:", DisconnectPrefix = "disconnect:";

    // Entry name → (revoked until or at, Unix s; kept until, Unix ms).
    private readonly ConcurrentDictionary<string, (long RevokedAt, long KeepUntil)> _entries = new(StringComparer.Ordinal);

    private RedisKey Key => $"{cluster.Value.ClusterId}:revoked";

    private RedisChannel Channel => RedisChannel.Literal($"{cluster.Value.ClusterId}:revoked");

    /// <summary>True when the token behind <paramref name="user"/> is revoked.</summary>
    public bool IsRevoked(ClaimsPrincipal user)
    {
        if (user.FindFirst("jti")?.Value is { } jti && Holds(TokenPrefix + jti, out _))
        {
            return true;
        }
        return user.Identity?.Name is { } name && Holds(UserPrefix + name, out var revokedAt) && IssuedAt(user) <= revokedAt;
    }

    /// <summary>Revokes every token of <paramref name="user"/> issued until now; returns how many connections closed here.</summary>
    public Task<int> RevokeUserAsync(string user) => RecordAsync(UserPrefix + user);

    /// <summary>Revokes the token <paramref name="tokenId"/>; returns how many connections closed here.</summary>
    public Task<int> RevokeTokenAsync(string tokenId) => RecordAsync(TokenPrefix + tokenId);

    /// <summary>Closes every connection of <paramref name="user"/> on every instance, without revoking their tokens.</summary>
    public async Task DisconnectAsync(string user)
    {
        Apply(DisconnectPrefix + user, "");
        if (backplane.UsesRedis)
        {
            await backplane.Redis.GetSubscriber().PublishAsync(Channel, $"{DisconnectPrefix}{user}\n");
        }
    }

    private async Task<int> RecordAsync(string entry)
    {
        var now = DateTimeOffset.UtcNow;
        var value = $"{now.ToUnixTimeSeconds()}:{(now + auth.Value.TokenLifetime).ToUnixTimeMilliseconds()}";
        var closed = Apply(entry, value);
        if (backplane.UsesRedis)
        {
            var db = backplane.Redis.GetDatabase();
            await db.HashSetAsync(Key, entry, value);
            await backplane.Redis.GetSubscriber().PublishAsync(Channel, $"{entry}\n{value}");
        }
        return closed;
    }

    /// <summary>Records an entry (or acts on a disconnect) and closes the connections here that it concerns.</summary>
    private int Apply(string entry, string value)
    {
        if (entry.StartsWith(DisconnectPrefix, StringComparison.Ordinal))
        {
            var user = entry[DisconnectPrefix.Length..];
            return instances.CloseLocalConnections(c => c.User?.Identity?.Name == user, DisconnectedReason);
        }
        if (!TryParse(value, out var parsed))
        {
            return 0;
        }
        _entries[entry] = parsed;
        return CloseRevoked();
    }

    /// <summary>Closes the connections here whose token the denylist now revokes.</summary>
    private int CloseRevoked() => instances.CloseLocalConnections(c => c.User is { } principal && IsRevoked(principal), RevokedReason);

    private bool Holds(string entry, out long revokedAt)
    {
        revokedAt = 0;
        if (!_entries.TryGetValue(entry, out var found))
        {
            return false;
        }
        if (found.KeepUntil <= DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
        {
            _entries.TryRemove(entry, out _);
            return false;
        }
        revokedAt = found.RevokedAt;
        return true;
    }

    /// <summary>The token's <c>iat</c>; a token without one counts as issued before any revocation.</summary>
    private static long IssuedAt(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst("iat")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var iat) ? iat : 0;

    private static bool TryParse(string value, out (long RevokedAt, long KeepUntil) parsed)
    {
        var parts = value.Split(':');
        if (parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var at) && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var until))
        {
            parsed = (at, until);
            return true;
        }
        parsed = default;
        return false;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!backplane.UsesRedis)
        {
            return;
        }
        var queue = await backplane.Redis.GetSubscriber().SubscribeAsync(Channel);
        queue.OnMessage(message =>
        {
            var text = (string?)message.Message ?? "";
            var newline = text.IndexOf('\n');
            if (newline > 0)
            {
                Apply(text[..newline], text[(newline + 1)..]);
            }
        });
        // A revocation published while this instance was cut off from Redis reaches it here.
        backplane.Redis.ConnectionRestored += (_, _) => _ = LoadAsync();
        await LoadAsync();
    }

    /// <summary>Reads the denylist, drops the entries past their time, and closes the connections here it concerns.</summary>
    private async Task LoadAsync()
    {
        try
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var db = backplane.Redis.GetDatabase();
            foreach (var entry in await db.HashGetAllAsync(Key))
            {
                if (!TryParse(entry.Value!, out var parsed) || parsed.KeepUntil <= now)
                {
                    await db.HashDeleteAsync(Key, entry.Name);
                    continue;
                }
                _entries[entry.Name!] = parsed;
            }
            CloseRevoked();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            AuthLog.DenylistLoadFailed(logger, e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
