namespace SignalRChat.Objects.Runtime;

/// <summary>
/// Writes an object's grain state one write at a time, for objects whose calls interleave: saves asked for while a
/// write is in flight share the next write, which stores the state as it is then. Two overlapping writes of one state
/// would race on its ETag.
/// </summary>
internal sealed class StateWriter<T>(IPersistentState<T> state, Action onFailed)
{
    private TaskCompletionSource? _next;
    private bool _writing;

    /// <summary>Completes once a write that started after this call stored the state; fails when that write failed,
    /// after <c>onFailed</c> ran.</summary>
    public Task SaveAsync()
    {
        _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stored = _next.Task;
        if (!_writing)
        {
            _ = WriteAsync();
        }
        return stored;
    }

    private async Task WriteAsync()
    {
        _writing = true;
        try
        {
            while (_next is { } waiting)
            {
                _next = null;
                try
                {
                    await state.WriteStateAsync();
                    waiting.SetResult();
                }
                catch (Exception e)
                {
                    onFailed();
                    waiting.SetException(e);
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }
}
