using System.Globalization;
using Microsoft.Extensions.Logging;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Chat;

/// <summary>
/// Moderation of rooms and worlds: the owner (who created the room with <c>Create</c>), the moderators the owner names,
/// and administrators (a <c>role</c> claim of <c>admin</c>) may kick, mute for a time and ban users, and make a room
/// private (invite-only) with a member list. The owner cannot be moderated but by an administrator; moderators only by
/// the owner. Every action is written to the audit log.
/// </summary>
public abstract partial class RoomChannel
{
    /// <summary>The client method that tells a user's connections in the room that they were removed from it.</summary>
    public const string KickedMethod = "Kicked";

    /// <summary>The client method that tells a user's connections in the room that they were muted or unmuted.</summary>
    public const string MutedMethod = "Muted";

    /// <summary>The most entries of each moderation list: moderators, bans, mutes and a private room's members.</summary>
    public const int MaxModerationEntries = 1000;

    /// <summary>The longest mute, and the longest ban with an end, in minutes (30 days and a year).</summary>
    public const int MaxMuteMinutes = 43_200, MaxBanMinutes = 525_600;

    /// <summary>The longest reason, in characters.</summary>
    public const int MaxReasonLength = 200;

    private ILogger? _audit;

    private ILogger Audit => _audit ??= AuditLog.Create(ServiceProvider);

    private enum Rank
    {
        Member,
        Moderator,
        Owner,
        Admin,
    }

    /// <summary>Removes every connection of a user from the room; they receive <c>Kicked</c> and may join again.</summary>
    [ObjectMethod]
    public async Task Kick(ModerateArgs args)
    {
        var (actor, target, reason) = Moderate(args, Rank.Moderator, "kick");
        AuditLog.Kicked(Audit, actor, target, Id.ToString(), reason);
        await RemoveUserAsync(target, new KickNotice(Id.ToString(), actor, reason, null));
    }

    /// <summary>Stops a user from sending and typing for <c>minutes</c>; they receive <c>Muted</c>.</summary>
    [ObjectMethod]
    public async Task Mute(ModerateArgs args)
    {
        var (actor, target, reason) = Moderate(args, Rank.Moderator, "mute");
        var minutes = args.Minutes is { } m and >= 1 and <= MaxMuteMinutes
            ? m
            : throw new ObjectCallException($"minutes must be between 1 and {MaxMuteMinutes}; it was {args.Minutes?.ToString(CultureInfo.InvariantCulture) ?? "missing"}.");
        var until = NowMs + minutes * 60_000L;
        Record(Room.Mutes, target, until);
        await SaveAsync();
        AuditLog.Muted(Audit, actor, target, Id.ToString(), Time(until), reason);
        await PushAsync(ConnectionsOf(target), MutedMethod, new MuteNotice(Id.ToString(), actor, reason, until), PushPriority.System);
    }

    /// <summary>Lifts a mute.</summary>
    [ObjectMethod]
    public async Task Unmute(ModerationUserArgs args)
    {
        var (actor, target, _) = Moderate(new ModerateArgs(args.User), Rank.Moderator, "unmute");
        if (Room.Mutes.Remove(target))
        {
            await SaveAsync();
            AuditLog.Unmuted(Audit, actor, target, Id.ToString());
            await PushAsync(ConnectionsOf(target), MutedMethod, new MuteNotice(Id.ToString(), actor, null, null), PushPriority.System);
        }
    }

    /// <summary>Removes a user from the room and refuses their joins for <c>minutes</c> (none: until <c>Unban</c>).</summary>
    [ObjectMethod]
    public async Task Ban(ModerateArgs args)
    {
        var (actor, target, reason) = Moderate(args, Rank.Moderator, "ban");
        var until = args.Minutes switch
        {
            null => long.MaxValue,
            >= 1 and <= MaxBanMinutes => NowMs + args.Minutes.Value * 60_000L,
            _ => throw new ObjectCallException($"minutes must be between 1 and {MaxBanMinutes}, or left out for a ban until Unban; it was {args.Minutes}."),
        };
        Record(Room.Bans, target, until);
        await SaveAsync();
        AuditLog.Banned(Audit, actor, target, Id.ToString(), Time(until), reason);
        await RemoveUserAsync(target, new KickNotice(Id.ToString(), actor, reason, until));
    }

    /// <summary>Lifts a ban.</summary>
    [ObjectMethod]
    public async Task Unban(ModerationUserArgs args)
    {
        var (actor, target, _) = Moderate(new ModerateArgs(args.User), Rank.Moderator, "unban");
        if (Room.Bans.Remove(target))
        {
            await SaveAsync();
            AuditLog.Unbanned(Audit, actor, target, Id.ToString());
        }
    }

    /// <summary>Makes a user a moderator of the room, or no longer one (the owner and administrators).</summary>
    [ObjectMethod]
    public async Task SetModerator(SetModeratorArgs args)
    {
        var (actor, target, _) = Moderate(new ModerateArgs(args.User), Rank.Owner, "name moderators");
        var changed = args.Moderator ? Add(Room.Moderators, target, "moderators") : Room.Moderators.Remove(target);
        if (changed)
        {
            await SaveAsync();
            AuditLog.ModeratorSet(Audit, actor, target, Id.ToString(), args.Moderator);
        }
    }

    /// <summary>Makes the room invite-only (or open again): only users on its member list (<c>Allow</c>), moderators,
    /// the owner and administrators may join; members not on the list stay until they leave.</summary>
    [ObjectMethod]
    public async Task SetPrivate(SetPrivateArgs args)
    {
        var actor = RequireRank(Rank.Owner, "make it private or public");
        if (Room.Private != args.Private)
        {
            Room.Private = args.Private;
            await SaveAsync();
            AuditLog.PrivacySet(Audit, actor, Id.ToString(), args.Private);
        }
    }

    /// <summary>Adds users to the member list of the room (who may join it when private).</summary>
    [ObjectMethod]
    public async Task Allow(AllowArgs args)
    {
        var (actor, users) = MemberListChange(args, "allow users");
        var added = users.Where(user => Add(Room.Allowed, user, "allowed users")).ToList();
        if (added.Count > 0)
        {
            await SaveAsync();
            AuditLog.MemberListChanged(Audit, actor, Id.ToString(), string.Join(", ", added), "");
        }
    }

    /// <summary>Removes users from the member list; in a private room, their connections are removed as by <c>Kick</c>.</summary>
    [ObjectMethod]
    public async Task Disallow(AllowArgs args)
    {
        var (actor, users) = MemberListChange(args, "disallow users");
        var removed = users.Where(Room.Allowed.Remove).ToList();
        if (removed.Count == 0)
        {
            return;
        }
        await SaveAsync();
        AuditLog.MemberListChanged(Audit, actor, Id.ToString(), "", string.Join(", ", removed));
        if (Room.Private)
        {
            foreach (var user in removed.Where(user => RankOf(user, isAdmin: false) < Rank.Moderator))
            {
                await RemoveUserAsync(user, new KickNotice(Id.ToString(), actor, "removed from the member list", null));
            }
        }
    }

    /// <summary>Who moderates the room, whether it is private and its member list, and the bans and mutes in force
    /// (moderators, the owner and administrators).</summary>
    [ObjectMethod]
    public Task<ModerationInfo> GetModeration()
    {
        RequireRank(Rank.Moderator, "see its moderation");
        var now = NowMs;
        return Task.FromResult(new ModerationInfo(Id.ToString(), Room.CreatedBy, [.. Room.Moderators.Order(StringComparer.Ordinal)], Room.Private,
            [.. Room.Allowed.Order(StringComparer.Ordinal)],
            Room.Bans.Where(b => b.Value > now).ToDictionary(b => b.Key, b => b.Value == long.MaxValue ? (long?)null : b.Value, StringComparer.Ordinal),
            Room.Mutes.Where(m => m.Value > now).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal)));
    }

    /// <summary>Refuses a join of a banned user, or of a user not on a private room's member list; administrators
    /// always join (a room's owner cannot lock them out).</summary>
    private void CheckMayJoin(string user)
    {
        if (Caller.IsAdmin)
        {
            return;
        }
        if (Room.Bans.TryGetValue(user, out var until) && until > NowMs)
        {
            throw new ObjectCallException(until == long.MaxValue
                ? $"You are banned from {Id}."
                : $"You are banned from {Id} until {Time(until)}.");
        }
        if (Room.Private && !Room.Allowed.Contains(user) && RankOf(user, Caller.IsAdmin) < Rank.Moderator)
        {
            throw new ObjectCallException($"{Id} is private: only its members may join; ask its owner or a moderator to add you.");
        }
    }

    /// <summary>Refuses a send or typing of a muted user.</summary>
    private void CheckNotMuted(string user)
    {
        if (Room.Mutes.TryGetValue(user, out var until) && until > NowMs)
        {
            throw new ObjectCallException($"You are muted in {Id} until {Time(until)}.");
        }
    }

    /// <summary>The acting user, the target and the reason, once the caller's rank allows acting on the target.</summary>
    private (string Actor, string Target, string? Reason) Moderate(ModerateArgs args, Rank needed, string action)
    {
        var actor = RequireRank(needed, action);
        UserNames.Check(args.User);
        if (args.Reason is not null)
        {
            TextRules.Check("reason", args.Reason, MaxReasonLength);
        }
        if (args.User == actor)
        {
            throw new ObjectCallException($"You cannot {action} yourself in {Id}.");
        }
        if (RankOf(args.User, isAdmin: false) >= RankOf(actor, Caller.IsAdmin))
        {
            throw new ObjectCallException($"You cannot {action} {args.User} in {Id}: they moderate it too.");
        }
        return (actor, args.User, string.IsNullOrWhiteSpace(args.Reason) ? null : args.Reason.Trim());
    }

    private (string Actor, IReadOnlyList<string> Users) MemberListChange(AllowArgs args, string action)
    {
        var actor = RequireRank(Rank.Moderator, action);
        if (args.Users is not { Count: > 0 and <= 100 })
        {
            throw new ObjectCallException($"users must name 1 to 100 users; it named {args.Users?.Count ?? 0}.");
        }
        foreach (var user in args.Users)
        {
            UserNames.Check(user, "users");
        }
        return (actor, args.Users.Distinct(StringComparer.Ordinal).ToList());
    }

    private string RequireRank(Rank needed, string action)
    {
        var user = Caller.User ?? throw new ObjectCallException($"Only a user can {action} in {Id}.");
        return RankOf(user, Caller.IsAdmin) >= needed
            ? user
            : throw new ObjectCallException(needed == Rank.Owner
                ? $"Only the owner of {Id} and administrators can {action}."
                : $"Only moderators of {Id}, its owner and administrators can {action}.");
    }

    private Rank RankOf(string user, bool isAdmin) =>
        isAdmin ? Rank.Admin
        : user == Room.CreatedBy ? Rank.Owner
        : Room.Moderators.Contains(user) ? Rank.Moderator
        : Rank.Member;

    /// <summary>Removes the user's connections from the room after telling them why.</summary>
    private async Task RemoveUserAsync(string user, KickNotice notice)
    {
        var connections = ConnectionsOf(user);
        await PushAsync(connections, KickedMethod, notice, PushPriority.System);
        await RemoveMembersAsync(connections);
    }

    private List<string> ConnectionsOf(string user) => Room.Members.Where(m => m.Value == user).Select(m => m.Key).ToList();

    /// <summary>Records a ban or mute, dropping ended ones first; refuses past <see cref="MaxModerationEntries"/>.</summary>
    private void Record(Dictionary<string, long> entries, string user, long until)
    {
        var now = NowMs;
        foreach (var ended in entries.Where(e => e.Value <= now).Select(e => e.Key).ToList())
        {
            entries.Remove(ended);
        }
        if (!entries.ContainsKey(user) && entries.Count >= MaxModerationEntries)
        {
            throw new ObjectCallException($"{Id} has {MaxModerationEntries} bans or mutes in force, the most it keeps; lift one first.");
        }
        entries[user] = until;
    }

    private bool Add(HashSet<string> set, string user, string what) =>
        set.Count < MaxModerationEntries || set.Contains(user)
            ? set.Add(user)
            : throw new ObjectCallException($"{Id} has {MaxModerationEntries} {what}, the most it keeps; remove one first.");

    private static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static string Time(long unixMs) => unixMs == long.MaxValue
        ? "lifted"
        : DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
