namespace SignalRChat.Push.Internal;

internal static partial class PushLog
{
    [LoggerMessage(1, LogLevel.Warning, "Dropped a push to {Recipients} client(s) on instance {InstanceId}: no subscriber heard it, also when tried again (the instance is gone, or was reconnecting to Redis: then it tells its clients to resync).", EventName = "PushInstanceGone")]
    public static partial void InstanceGone(ILogger logger, int recipients, string instanceId);

    [LoggerMessage(2, LogLevel.Warning, "Disconnected client {ConnectionId}: {PendingBytes} bytes were waiting to be written to it, the oldest for {WaitedMs} ms (limits {LimitBytes} bytes, {LimitMs} ms).", EventName = "PushSlowClient")]
    public static partial void SlowClient(ILogger logger, string connectionId, long pendingBytes, long waitedMs, long limitBytes, long limitMs);

    [LoggerMessage(3, LogLevel.Warning, "Refused a push to instance {InstanceId}: its outbox of {Capacity} pushes is full.", EventName = "PushOutboxFull")]
    public static partial void OutboxFull(ILogger logger, string instanceId, int capacity);

    [LoggerMessage(4, LogLevel.Error, "Dropped a push to {Recipients} client(s) on {Channel}: publishing failed.", EventName = "PushPublishFailed")]
    public static partial void PublishFailed(ILogger logger, Exception exception, int recipients, string channel);

    [LoggerMessage(5, LogLevel.Error, "Ignored a malformed backplane message on {Channel}.", EventName = "PushMalformedEnvelope")]
    public static partial void MalformedEnvelope(ILogger logger, Exception exception, string channel);

    [LoggerMessage(6, LogLevel.Warning, "Dropped a push to {Recipients} client(s) on other instances: this instance runs without a backplane (no ConnectionStrings:Redis).", EventName = "PushNoBackplane")]
    public static partial void NoBackplane(ILogger logger, int recipients);

    [LoggerMessage(7, LogLevel.Debug, "A write to client {ConnectionId} failed.", EventName = "PushWriteFailed")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(8, LogLevel.Error, "Handling a message of {Items} item(s) received on {Channel} failed.", EventName = "PushReceiveFailed")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception, int items, string channel);

    [LoggerMessage(9, LogLevel.Warning, "Could not send the reply to {Kind} {Id} to instance {InstanceId}.", EventName = "PushReplyFailed")]
    public static partial void ReplyFailed(ILogger logger, Exception exception, string kind, string id, string instanceId);

    [LoggerMessage(10, LogLevel.Debug, "Redis connection: {Line}", EventName = "PushRedisConnectionLog")]
    public static partial void ConnectionLog(ILogger logger, string line);

    [LoggerMessage(12, LogLevel.Warning, "The backplane subscription was lost and is back: told {Connections} connection(s) to resync ({Method}).", EventName = "PushResync")]
    public static partial void Resync(ILogger logger, int connections, string method);

    [LoggerMessage(11, LogLevel.Error, "Writing {Messages} message(s) to {Recipients} connection(s) failed; they were dropped.", EventName = "PushRunFailed")]
    public static partial void RunFailed(ILogger logger, Exception exception, int messages, int recipients);
}
