using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace SignalRChat.Push.Internal;

/// <summary>
/// Client results waiting on this instance: invocations it started (typed by what the caller awaits) and invocations
/// of its connections that other instances started (kept raw and forwarded). The binder that parses a client's
/// completion asks it for the result type. SignalR's own bookkeeping for this is internal to SignalR.
/// </summary>
internal sealed class ClientResults : IInvocationBinder
{
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);

    /// <summary>A globally unique invocation ID: instances answer each other's invocations.</summary>
    public static string NewInvocationId() => Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=');

    /// <summary>Waits for the result of an invocation of <paramref name="connectionId"/>; cancelling fails it with a <see cref="HubException"/>.</summary>
    public Task<T> Add<T>(string connectionId, string invocationId, CancellationToken cancellationToken)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = new Pending(typeof(T), connectionId, completion =>
        {
            if (completion.HasResult)
            {
                result.TrySetResult((T)completion.Result!);
            }
            else
            {
                result.TrySetException(new HubException(completion.Error));
            }
        });
        if (!_pending.TryAdd(invocationId, pending))
        {
            throw new InvalidOperationException($"Invocation ID '{invocationId}' is already waiting for a result.");
        }
        // Registered after the add, so a token cancelled already completes the entry just added.
        var registration = cancellationToken.UnsafeRegister(_ =>
            TryComplete(connectionId, CompletionMessage.WithError(invocationId, "Invocation canceled by the server.")), null);
        _ = result.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        return result.Task;
    }

    /// <summary>Keeps the raw result of another instance's invocation of a local connection, for <paramref name="forward"/>.</summary>
    public void AddForwarded(string connectionId, string invocationId, Action<CompletionMessage> forward)
    {
        if (!_pending.TryAdd(invocationId, new Pending(typeof(RawResult), connectionId, forward)))
        {
            forward(CompletionMessage.WithError(invocationId, "ID collision occurred when using client results."));
        }
    }

    /// <summary>Completes the invocation with the client's answer; an unknown ID (cancelled, or answered twice) is ignored.</summary>
    /// <exception cref="InvalidOperationException">The invocation was not sent to <paramref name="connectionId"/>.</exception>
    public void TryComplete(string connectionId, CompletionMessage completion)
    {
        var id = completion.InvocationId!;
        if (!_pending.TryGetValue(id, out var pending))
        {
            return;
        }
        if (pending.ConnectionId != connectionId)
        {
            throw new InvalidOperationException($"Connection ID '{connectionId}' is not valid for invocation ID '{id}'.");
        }
        if (_pending.TryRemove(new KeyValuePair<string, Pending>(id, pending)))
        {
            pending.Complete(completion);
        }
    }

    /// <summary>Completes the invocation whatever connection answered (replies from other instances).</summary>
    public bool TryComplete(CompletionMessage completion)
    {
        if (!_pending.TryRemove(completion.InvocationId!, out var pending))
        {
            return false;
        }
        pending.Complete(completion);
        return true;
    }

    /// <summary>Forgets the invocation; true when it was still waiting.</summary>
    public bool Remove(string invocationId) => _pending.TryRemove(invocationId, out _);

    public bool TryGetType(string invocationId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type)
    {
        type = _pending.TryGetValue(invocationId, out var pending) ? pending.Type : null;
        return type is not null;
    }

    Type IInvocationBinder.GetReturnType(string invocationId) =>
        TryGetType(invocationId, out var type) ? type : throw new InvalidOperationException($"Invocation ID '{invocationId}' is not associated with a pending client result.");

    IReadOnlyList<Type> IInvocationBinder.GetParameterTypes(string methodName) => throw new NotSupportedException();

    Type IInvocationBinder.GetStreamItemType(string streamId) => throw new NotSupportedException();

    private sealed record Pending(Type Type, string ConnectionId, Action<CompletionMessage> Complete);
}
