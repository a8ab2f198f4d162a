namespace SignalRChat.Push.Internal;

/// <summary>A send's recipients sorted by where they are: this instance, another instance, or unknown.</summary>
internal sealed class RecipientGroups
{
    /// <summary>Connections of this instance.</summary>
    public List<LocalConnection> Local { get; } = [];

    /// <summary>Client IDs on other instances, by instance ID.</summary>
    public Dictionary<string, List<string>> Remote { get; } = new(StringComparer.Ordinal);

    /// <summary>Client IDs of this instance whose connection has closed.</summary>
    public int LocalGone { get; private set; }

    /// <summary>Plain connection IDs (no instance part) that this instance does not hold.</summary>
    public List<string> Unrouted { get; } = [];

    /// <summary>Sorts the IDs; each is a client ID or, as SignalR allows, a plain connection ID.</summary>
    /// <exception cref="ArgumentException">An ID has a '/' but is not a valid client ID; nothing is sent then.</exception>
    public static RecipientGroups Create(IReadOnlyList<string> ids, string localInstanceId, HubConnections local)
    {
        var groups = new RecipientGroups();
        foreach (var id in ids)
        {
            if (!id.Contains('/'))
            {
                if (local.Find(id) is { } connection)
                {
                    groups.Local.Add(connection);
                }
                else
                {
                    groups.Unrouted.Add(id);
                }
            }
            else if (ClientId.TryParse(id, out var clientId))
            {
                if (clientId.InstanceId == localInstanceId)
                {
                    if (local.Find(clientId.ConnectionId) is { } connection)
                    {
                        groups.Local.Add(connection);
                    }
                    else
                    {
                        groups.LocalGone++;
                    }
                }
                else if (groups.Remote.TryGetValue(clientId.InstanceId, out var list))
                {
                    list.Add(id);
                }
                else
                {
                    groups.Remote.Add(clientId.InstanceId, [id]);
                }
            }
            else
            {
                throw ClientId.Invalid(id);
            }
        }
        return groups;
    }
}
