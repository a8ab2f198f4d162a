using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Push.Internal;

internal sealed partial class ClusterHubLifetimeManager<THub>
{
    /// <summary>How long a group change waits for the instance holding the connection to confirm it.</summary>
    private static readonly TimeSpan GroupChangeTimeout = TimeSpan.FromSeconds(30);

    /// <inheritdoc/>
    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        ChangeGroupAsync(ItemKind.AddToGroup, connectionId, groupName, cancellationToken);

    /// <inheritdoc/>
    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        ChangeGroupAsync(ItemKind.RemoveFromGroup, connectionId, groupName, cancellationToken);

    /// <summary>
    /// Changes the group membership of a connection wherever it is. A connection of this instance changes at once; a
    /// connection of another instance changes when that instance confirms. Like SignalR's own managers, a connection
    /// that no longer exists is no error.
    /// </summary>
    private async Task ChangeGroupAsync(ItemKind change, string connectionId, string groupName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        ArgumentNullException.ThrowIfNull(groupName);
        var local = Locate(connectionId, out var instanceId);
        if (local is not null || instanceId == _instanceId)
        {
            Apply(change, local?.Context.ConnectionId, groupName);
            return;
        }
        if (instanceId is not null && _directory.IsGone(instanceId))
        {
            return;
        }
        await _backplane.StartAsync();
        var id = ClientResults.NewInvocationId();
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _replies.Add(id, _ => answered.TrySetResult());
        try
        {
            var request = new BackplaneItem(change, [connectionId], []) { Group = groupName, Id = id, Reply = _instanceId };
            _replies.Heard(id, await _backplane.PublishAsync(instanceId, request));
            await answered.Task.WaitAsync(GroupChangeTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No hub instance confirmed the group change of connection '{connectionId}' within {GroupChangeTimeout.TotalSeconds} seconds.");
        }
        finally
        {
            _replies.Remove(id);
        }
    }

    /// <returns>False when this instance does not hold the connection.</returns>
    private bool Apply(ItemKind change, string? connectionId, string groupName) =>
        connectionId is not null && (change == ItemKind.AddToGroup
            ? _connections.AddToGroup(connectionId, groupName)
            : _connections.RemoveFromGroup(connectionId, groupName));

    /// <summary>Another instance asks to change a group of a connection: the holder applies it and confirms; the others say not found.</summary>
    private void OnGroupChange(BackplaneItem request)
    {
        var connection = Locate(request.Names[0], out _);
        var found = Apply(request.Kind, connection?.Context.ConnectionId, request.Group);
        // Not awaited: the change is made, and what this instance receives next need not wait for the reply's publish.
        _ = ReplyAsync(request, found ? ItemKind.Done : ItemKind.NotFound, []);
    }

    /// <summary>Answers a request; failures are logged, never thrown.</summary>
    private async Task ReplyAsync(BackplaneItem request, ItemKind kind, IReadOnlyList<SerializedMessage> messages)
    {
        try
        {
            await _backplane.PublishAsync(request.Reply, new BackplaneItem(kind, [], messages) { Id = request.Id });
        }
        catch (Exception e)
        {
            PushLog.ReplyFailed(_logger, e, request.Kind.ToString(), request.Id, request.Reply);
        }
    }
}
