using System.Buffers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace SignalRChat.Push.Internal;

internal sealed partial class ClusterHubLifetimeManager<THub>
{
    /// <summary>
    /// Invokes a client and waits for its result. The connection may be on any instance: a client ID goes to the
    /// instance it names, a plain connection ID to every instance, and the holder forwards the client's answer back.
    /// </summary>
    /// <exception cref="IOException">No instance holds the connection, or it disconnected (on this instance).</exception>
    /// <exception cref="HubException">The client answered with an error, or disconnected (on another instance), or the call was cancelled.</exception>
    public override async Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        var local = Locate(connectionId, out var instanceId);
        if (local is not null)
        {
            return await InvokeLocalAsync<T>(connectionId, local.Context, methodName, args, cancellationToken);
        }
        if (instanceId == _instanceId)
        {
            throw new IOException($"Connection '{connectionId}' does not exist.");
        }
        return await InvokeRemoteAsync<T>(connectionId, instanceId, methodName, args, cancellationToken);
    }

    /// <inheritdoc/>
    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result)
    {
        _results.TryComplete(connectionId, result);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override bool TryGetReturnType(string invocationId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type) =>
        _results.TryGetType(invocationId, out type);

    private async Task<T> InvokeLocalAsync<T>(string connectionId, HubConnectionContext connection, string methodName, object?[] args, CancellationToken cancellationToken)
    {
        var invocationId = ClientResults.NewInvocationId();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connection.ConnectionAborted);
        var result = _results.Add<T>(connection.ConnectionId, invocationId, linked.Token);
        try
        {
            await connection.WriteAsync(new InvocationMessage(invocationId, methodName, args), cancellationToken);
        }
        catch
        {
            _results.Remove(invocationId);
            throw;
        }
        try
        {
            return await result;
        }
        catch when (connection.ConnectionAborted.IsCancellationRequested)
        {
            throw new IOException($"Connection '{connectionId}' disconnected.");
        }
    }

    private async Task<T> InvokeRemoteAsync<T>(string connectionId, string? instanceId, string methodName, object?[] args, CancellationToken cancellationToken)
    {
        if (instanceId is not null && _directory.IsGone(instanceId))
        {
            throw new IOException($"Connection '{connectionId}' does not exist: its instance {instanceId} is gone.");
        }
        await _backplane.StartAsync();
        var invocationId = ClientResults.NewInvocationId();
        var result = _results.Add<T>(connectionId, invocationId, cancellationToken);
        var nobody = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _replies.Add(invocationId, _ =>
        {
            if (_results.Remove(invocationId))
            {
                nobody.TrySetResult();
            }
        });
        try
        {
            var message = new SerializedHubMessage(new InvocationMessage(invocationId, methodName, args));
            var request = new BackplaneItem(ItemKind.Invoke, [connectionId], _backplane.Serialize(message)) { Id = invocationId, Reply = _instanceId };
            _replies.Heard(invocationId, await _backplane.PublishAsync(instanceId, request));
            if (await Task.WhenAny(result, nobody.Task) == nobody.Task)
            {
                throw new IOException($"Connection '{connectionId}' does not exist.");
            }
            return await result;
        }
        catch when (!result.IsCompleted)
        {
            _results.Remove(invocationId);
            throw;
        }
        finally
        {
            _replies.Remove(invocationId);
        }
    }

    /// <summary>Another instance invokes a connection: the holder writes the invocation and forwards the answer; the others say not found.</summary>
    private void OnInvoke(BackplaneItem request)
    {
        var connection = Locate(request.Names[0], out _)?.Context;
        if (connection is null)
        {
            _ = ReplyAsync(request, ItemKind.NotFound, []);
            return;
        }
        var protocol = connection.Protocol;
        CancellationTokenRegistration disconnected = default;
        _results.AddForwarded(connection.ConnectionId, request.Id, completion =>
        {
            disconnected.Dispose();
            // The client's answer, written back in its own protocol; the raw result stays unparsed until the caller's instance.
            _ = ReplyAsync(request, ItemKind.Completion, [new SerializedMessage(protocol.Name, protocol.GetMessageBytes(completion))]);
        });
        disconnected = connection.ConnectionAborted.UnsafeRegister(_ =>
            _results.TryComplete(connection.ConnectionId, CompletionMessage.WithError(request.Id, "Connection disconnected.")), null);
        // Not awaited: a client slow to read must not hold up what this instance receives after it.
        _ = WriteInvocationAsync(connection, new SerializedHubMessage(request.Messages));
    }

    private async Task WriteInvocationAsync(HubConnectionContext connection, SerializedHubMessage invocation)
    {
        try
        {
            await connection.WriteAsync(invocation);
        }
        catch (Exception e)
        {
            // The connection is closing: its abort answers the caller.
            PushLog.WriteFailed(_logger, e, connection.ConnectionId);
        }
    }

    /// <summary>A client's answer to an invocation this instance started, parsed into the type the caller awaits.</summary>
    private void OnCompletion(BackplaneItem reply)
    {
        _replies.Remove(reply.Id);
        if (!_results.TryGetType(reply.Id, out var type) || reply.Messages.Count != 1)
        {
            return; // cancelled meanwhile
        }
        var answer = reply.Messages[0];
        CompletionMessage completion;
        try
        {
            var protocol = _protocols.GetProtocol(answer.ProtocolName, null)
                ?? throw new InvalidOperationException($"This instance does not speak protocol '{answer.ProtocolName}'.");
            var bytes = new ReadOnlySequence<byte>(answer.Serialized);
            completion = protocol.TryParseMessage(ref bytes, _results, out var parsed) && parsed is CompletionMessage message
                ? message
                : CompletionMessage.WithError(reply.Id, $"Client result wasn't deserializable to {type.Name}.");
        }
        catch (Exception)
        {
            completion = CompletionMessage.WithError(reply.Id, $"Client result wasn't deserializable to {type.Name}.");
        }
        _results.TryComplete(completion);
    }
}
