using Microsoft.Extensions.Logging;

namespace SignalRChat.Objects.Runtime;

/// <summary>
/// The audit log: who joined which room, moderation, revocations and administrators' actions, as structured events of
/// their own category (<see cref="Category"/>), so operators can route or keep them apart from diagnostics.
/// </summary>
internal static partial class AuditLog
{
    /// <summary>The log category of every audit event.</summary>
    public const string Category = "SignalRChat.Audit";

    /// <summary>The audit logger of <paramref name="services"/>.</summary>
    public static ILogger Create(IServiceProvider services) =>
        ((ILoggerFactory)services.GetService(typeof(ILoggerFactory))!).CreateLogger(Category);

    [LoggerMessage(1, LogLevel.Information, "{User} joined {Room}.", EventName = "Joined")]
    public static partial void Joined(ILogger logger, string user, string room);

    [LoggerMessage(2, LogLevel.Information, "{Actor} kicked {User} from {Room}: {Reason}", EventName = "Kicked")]
    public static partial void Kicked(ILogger logger, string actor, string user, string room, string? reason);

    [LoggerMessage(3, LogLevel.Information, "{Actor} banned {User} from {Room} until {Until}: {Reason}", EventName = "Banned")]
    public static partial void Banned(ILogger logger, string actor, string user, string room, string until, string? reason);

    [LoggerMessage(4, LogLevel.Information, "{Actor} lifted the ban of {User} from {Room}.", EventName = "Unbanned")]
    public static partial void Unbanned(ILogger logger, string actor, string user, string room);

    [LoggerMessage(5, LogLevel.Information, "{Actor} muted {User} in {Room} until {Until}: {Reason}", EventName = "Muted")]
    public static partial void Muted(ILogger logger, string actor, string user, string room, string until, string? reason);

    [LoggerMessage(6, LogLevel.Information, "{Actor} unmuted {User} in {Room}.", EventName = "Unmuted")]
    public static partial void Unmuted(ILogger logger, string actor, string user, string room);

    [LoggerMessage(7, LogLevel.Information, "{Actor} set {User} as moderator of {Room}: {Moderator}.", EventName = "ModeratorSet")]
    public static partial void ModeratorSet(ILogger logger, string actor, string user, string room, bool moderator);

    [LoggerMessage(8, LogLevel.Information, "{Actor} set {Room} private: {Private}.", EventName = "PrivacySet")]
    public static partial void PrivacySet(ILogger logger, string actor, string room, bool @private);

    [LoggerMessage(9, LogLevel.Information, "{Actor} changed who may join {Room}: allowed {Allowed}, disallowed {Disallowed}.", EventName = "MemberListChanged")]
    public static partial void MemberListChanged(ILogger logger, string actor, string room, string allowed, string disallowed);

    [LoggerMessage(10, LogLevel.Information, "{Actor} revoked every token of {User} issued until now; closed {Closed} connection(s) here.", EventName = "UserRevoked")]
    public static partial void UserRevoked(ILogger logger, string actor, string user, int closed);

    [LoggerMessage(11, LogLevel.Information, "{Actor} revoked token {TokenId}; closed {Closed} connection(s) here.", EventName = "TokenRevoked")]
    public static partial void TokenRevoked(ILogger logger, string actor, string tokenId, int closed);

    [LoggerMessage(12, LogLevel.Information, "{Actor} disconnected {User} everywhere.", EventName = "UserDisconnected")]
    public static partial void UserDisconnected(ILogger logger, string actor, string user);

    [LoggerMessage(13, LogLevel.Information, "{Actor} {Action}.", EventName = "AdminAction")]
    public static partial void AdminAction(ILogger logger, string actor, string action);
}
