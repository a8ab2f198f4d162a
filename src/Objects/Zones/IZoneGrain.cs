using Orleans.Concurrency;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Zones;

/// <summary>What players tell a <c>Zone-{id}</c>. Interleaved, so a zone waiting on a player never blocks that player.</summary>
[Alias("SignalRChat.IZoneGrain")]
public interface IZoneGrain : IObjectGrain
{
    /// <summary>The user is no longer in this zone (went offline, or entered another zone).</summary>
    [Alias("RemovePlayer"), AlwaysInterleave]
    Task RemovePlayer(string user);

    /// <summary>The status zone members see for the user changed. False when the user is not in the zone.</summary>
    [Alias("UpdateStatus"), AlwaysInterleave]
    Task<bool> UpdateStatus(string user, string status);
}
