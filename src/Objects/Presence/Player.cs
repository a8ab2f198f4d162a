using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SignalRChat.Objects.Quotas;
using SignalRChat.Objects.Runtime;
using SignalRChat.Objects.Zones;

namespace SignalRChat.Objects.Presence;

/// <summary>
/// A user's presence (<c>Player-{user}</c>): status, text, activity and zone, online while the user has a connection
/// (plus a grace period), whom the user follows and who follows them. Every change a follower can see is pushed to
/// the followers' connections as <c>PresenceChanged</c>, and to the user's own connections with the status they see.
/// Clients call only their own player.
/// </summary>
[ObjectType(TypeName)]
[Orleans.Placement.PreferLocalPlacement] // on the silo of the hub that first tells it of a connection: that hub's calls stay in process
public sealed partial class Player(
    [PersistentState("presence", ObjectStorage.Name)] IPersistentState<PlayerState> presence,
    [PersistentState("follows", ObjectStorage.Name)] IPersistentState<PlayerFollowsState> follows,
    [PersistentState("social", ObjectStorage.Name)] IPersistentState<PlayerSocialState> social,
    IClientPush push,
    IClientDirectory clients,
    IOptions<PresenceOptions> options,
    IOptions<QuotaOptions> quotas,
    ILogger<Player> logger) : ObjectGrain, IPlayerGrain
{
    /// <summary>The object type name.</summary>
    public const string TypeName = "Player";

    /// <summary>The longest status text, in characters.</summary>
    public const int MaxTextLength = 128;

    /// <summary>The largest activity, in bytes of compact JSON.</summary>
    public const int MaxActivityBytes = 1024;

    /// <summary>The most user names one <c>Follow</c>, <c>Unfollow</c> or <c>GetPresence</c> takes.</summary>
    public const int MaxUsersPerCall = 500;

    /// <summary>The most users one user follows.</summary>
    public const int MaxFollowing = 1000;

    /// <summary>The client method presence changes are pushed with.</summary>
    public const string PresenceChangedMethod = "PresenceChanged";

    private PlayerState State => presence.State;

    private PlayerFollowsState Follows => follows.State;

    private string User => Id.Key;

    /// <inheritdoc/>
    protected override bool Exists => presence.RecordExists || follows.RecordExists;

    /// <summary>The player of <paramref name="user"/>.</summary>
    internal static ObjectId IdOf(string user) => ObjectId.Create(TypeName, user);

    /// <summary>Sets the caller's status and, when given, the status text ("" clears it).</summary>
    [ObjectMethod]
    public async Task<Presence> SetStatus(SetStatusArgs args)
    {
        await OwnerCallAsync();
        if (args.Status == PresenceStatus.Offline)
        {
            throw new ObjectCallException("status 'offline' cannot be set: a user is offline when their last connection closes. Use 'invisible' to appear offline.");
        }
        if (!PresenceStatus.Settable.Contains(args.Status))
        {
            throw new ObjectCallException($"status must be one of {string.Join(", ", PresenceStatus.Settable)}; it was '{args.Status}'.");
        }
        var text = args.Text?.Trim();
        if (text is not null)
        {
            TextRules.Check("text", text, MaxTextLength);
        }
        await ChangeAsync(() =>
        {
            State.Status = args.Status;
            State.Idle = false;
            if (text is not null)
            {
                State.Text = text.Length == 0 ? null : text;
            }
        });
        return Own();
    }

    /// <summary>Sets what the user is doing, a small JSON object; null clears it.</summary>
    [ObjectMethod]
    public async Task<Presence> SetActivity(SetActivityArgs args)
    {
        await OwnerCallAsync();
        string? activity = null;
        if (args.Activity is { ValueKind: not JsonValueKind.Null } element)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new ObjectCallException($"activity must be a JSON object or null; it was {element.ValueKind.ToString().ToLowerInvariant()}.");
            }
            var json = JsonSerializer.SerializeToUtf8Bytes(element);
            if (json.Length > MaxActivityBytes)
            {
                throw new ObjectCallException($"activity is {json.Length} bytes of JSON; the limit is {MaxActivityBytes}.");
            }
            activity = System.Text.Encoding.UTF8.GetString(json);
        }
        await ChangeAsync(() => State.Activity = activity);
        return Own();
    }

    /// <summary>Follows users: from now on the caller's connections receive their <c>PresenceChanged</c>. Returns their presences.</summary>
    [ObjectMethod]
    public async Task<IReadOnlyList<Presence>> Follow(UsersArgs args)
    {
        var me = await OwnerCallAsync();
        var users = CheckUsers(args.Users);
        if (users.Contains(me))
        {
            throw new ObjectCallException("users must not include yourself: you cannot follow yourself.");
        }
        var added = users.Count(u => !Follows.Following.Contains(u));
        if (Follows.Following.Count + added > MaxFollowing)
        {
            throw new ObjectCallException($"You follow {Follows.Following.Count} users; {added} more would pass the limit of {MaxFollowing}. Unfollow some first.");
        }
        var presences = await Task.WhenAll(users.Select(u => PlayerOf(u).AddFollower(me)));
        if (added > 0)
        {
            Follows.Following.UnionWith(users);
            await SaveFollowsAsync();
        }
        return presences;
    }

    /// <summary>Stops following users. Returns their presences.</summary>
    [ObjectMethod]
    public async Task<IReadOnlyList<Presence>> Unfollow(UsersArgs args)
    {
        var me = await OwnerCallAsync();
        var users = CheckUsers(args.Users);
        var presences = await Task.WhenAll(users.Select(u => u == me ? Task.FromResult(Visible()) : PlayerOf(u).RemoveFollower(me)));
        if (users.Any(Follows.Following.Contains))
        {
            Follows.Following.ExceptWith(users);
            await SaveFollowsAsync();
        }
        return presences;
    }

    /// <summary>The presences of users (<c>offline</c> for users never seen), in the order asked.</summary>
    [ObjectMethod]
    public async Task<IReadOnlyList<Presence>> GetPresence(UsersArgs args)
    {
        var me = await OwnerCallAsync();
        var users = CheckUsers(args.Users);
        return await Task.WhenAll(users.Select(u => u == me ? Task.FromResult(Own()) : PlayerOf(u).GetVisiblePresence()));
    }

    /// <summary>The presences of the users the caller follows, sorted by user name.</summary>
    [ObjectMethod]
    public async Task<IReadOnlyList<Presence>> ListFollowing()
    {
        await OwnerCallAsync();
        return await Task.WhenAll(Follows.Following.Order(StringComparer.Ordinal).Select(u => PlayerOf(u).GetVisiblePresence()));
    }

    /// <inheritdoc/>
    async Task<Presence> IPlayerGrain.AddFollower(string user)
    {
        if (Follows.Followers.Add(user))
        {
            await SaveFollowsAsync();
        }
        return Visible();
    }

    /// <inheritdoc/>
    async Task<Presence> IPlayerGrain.RemoveFollower(string user)
    {
        if (Follows.Followers.Remove(user))
        {
            await SaveFollowsAsync();
        }
        return Visible();
    }

    /// <inheritdoc/>
    Task<Presence> IPlayerGrain.GetVisiblePresence() => Task.FromResult(Visible());

    /// <summary>Checks a list of user names: at most <see cref="MaxUsersPerCall"/>, each valid; returns them without repeats.</summary>
    private static List<string> CheckUsers(IReadOnlyList<string> users)
    {
        if (users.Count > MaxUsersPerCall)
        {
            throw new ObjectCallException($"users holds {users.Count} names; the limit is {MaxUsersPerCall} per call.");
        }
        for (var i = 0; i < users.Count; i++)
        {
            if (UserNames.Problem(users[i], $"users[{i}]") is { } problem)
            {
                throw new ObjectCallException(problem);
            }
        }
        return users.Distinct(StringComparer.Ordinal).ToList();
    }

    private IPlayerGrain PlayerOf(string user) => ObjectOf<IPlayerGrain>(IdOf(user));

    private IZoneGrain ZoneOf(string zone) => ObjectOf<IZoneGrain>(ObjectId.Parse(zone));
}
