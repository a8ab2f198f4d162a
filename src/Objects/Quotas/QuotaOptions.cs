namespace SignalRChat.Objects.Quotas;

/// <summary>How much one user may hold (configuration section <c>Quotas</c>), counted by the objects, so cluster-wide.</summary>
public sealed class QuotaOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Quotas";

    /// <summary>Open connections of one user, on all instances together.</summary>
    public int ConnectionsPerUser { get; set; } = 10;

    /// <summary>Users in one chat room or world at once; one user counts once, whatever their connections.</summary>
    public int RoomMembers { get; set; } = 10_000;

    /// <summary>Chat rooms one user may have made (with <c>Create</c>, or by being the first to join a new one) that
    /// still exist.</summary>
    public int RoomsPerUser { get; set; } = 20;

    /// <summary>A chat room without members for this long, in which nobody wrote meanwhile, is deleted with its
    /// history, and no longer counts against its maker's <see cref="RoomsPerUser"/>.</summary>
    public TimeSpan RoomIdleExpiry { get; set; } = TimeSpan.FromDays(30);
}
