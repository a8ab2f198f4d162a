using System.Diagnostics.Metrics;

namespace SignalRChat.Push.Internal;

/// <summary>
/// Counts of the push path, readable in process and exported as the <c>SignalRChat.Push</c> meter
/// (<c>/metrics</c>, or <c>dotnet-counters monitor --counters SignalRChat.Push</c>).
/// </summary>
internal sealed class PushMetrics : IDisposable
{
    public const string MeterName = "SignalRChat.Push";
    private readonly Meter _meter;
    private readonly Histogram<double> _latency;
    private readonly List<Func<int>> _outboxDepths = [];
    private long _sent;
    private long _published;
    private long _received;
    private long _delivered;
    private long _writes;
    private long _droppedInstanceGone;
    private long _droppedClientGone;
    private long _droppedPublishFailed;
    private long _droppedOverflow;
    private long _coalesced;
    private long _refused;
    private long _slowClients;
    private long _backlogBytes;

    public PushMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableCounter("signalrchat.push.sent", () => Sent, "{send}", "Sends made on this instance (object pushes and hub sends), each counted once whatever its recipients.");
        _meter.CreateObservableCounter("signalrchat.push.backplane.published", () => Published, "{message}", "Backplane messages published by this instance.");
        _meter.CreateObservableCounter("signalrchat.push.backplane.received", () => Received, "{message}", "Backplane messages received by this instance.");
        _meter.CreateObservableCounter("signalrchat.push.delivered", () => Delivered, "{delivery}", "Messages handed to local connections.");
        _meter.CreateObservableCounter("signalrchat.push.writes", () => Writes, "{write}", "Writes to local connections; a run of several messages is one write.");
        _meter.CreateObservableCounter("signalrchat.push.dropped", () => (Measurement<long>[])
        [
            new(DroppedInstanceGone, new KeyValuePair<string, object?>("cause", "instance_gone")),
            new(DroppedClientGone, new KeyValuePair<string, object?>("cause", "client_gone")),
            new(DroppedPublishFailed, new KeyValuePair<string, object?>("cause", "publish_failed")),
            new(DroppedOverflow, new KeyValuePair<string, object?>("cause", "overflow")),
        ], "{delivery}", "Deliveries dropped, by cause: the target instance is gone, the connection is gone, Redis refused the publish, or a full presence queue made room. A send towards another instance that names users or groups counts once.");
        _meter.CreateObservableCounter("signalrchat.push.coalesced", () => Coalesced, "{delivery}", "Presence deliveries replaced, while queued, by a newer one about the same subject. A send towards another instance that names users or groups counts once.");
        _meter.CreateObservableCounter("signalrchat.push.refused", () => Refused, "{message}", "Messages refused because an outbox was full.");
        _meter.CreateObservableCounter("signalrchat.push.slow_clients", () => SlowClients, "{connection}", "Connections closed for not reading their messages.");
        _meter.CreateObservableGauge("signalrchat.push.outbox.depth", () => OutboxDepth, "{item}", "Sends queued for other instances, not yet published.");
        _meter.CreateObservableGauge("signalrchat.push.connection.backlog", () => BacklogBytes, "By", "Bytes queued on local connections behind a write their client has not taken yet.");
        _latency = _meter.CreateHistogram<double>("signalrchat.push.latency", "s",
            "From a send (on another instance: the publish) to its hand-over to a local connection, or to the connection's own queue when its client is behind.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
    }

    /// <summary>This process's push latencies since the last read of it.</summary>
    public LatencyWindow LatencyWindow { get; } = new();

    /// <summary>Sends queued in outboxes, over every hub.</summary>
    public int OutboxDepth
    {
        get
        {
            lock (_outboxDepths)
            {
                return _outboxDepths.Sum(depth => depth());
            }
        }
    }

    /// <summary>Counts a backplane's queued sends in <see cref="OutboxDepth"/>.</summary>
    public void TrackOutboxDepth(Func<int> depth)
    {
        lock (_outboxDepths)
        {
            _outboxDepths.Add(depth);
        }
    }

    /// <summary>Records how long a send took to reach its local connections.</summary>
    public void OnLatency(double milliseconds)
    {
        _latency.Record(milliseconds / 1000);
        LatencyWindow.Record(milliseconds);
    }

    public long Sent => Volatile.Read(ref _sent);
    public long Published => Volatile.Read(ref _published);
    public long Received => Volatile.Read(ref _received);
    public long Delivered => Volatile.Read(ref _delivered);
    public long Writes => Volatile.Read(ref _writes);
    public long DroppedInstanceGone => Volatile.Read(ref _droppedInstanceGone);
    public long DroppedClientGone => Volatile.Read(ref _droppedClientGone);
    public long DroppedPublishFailed => Volatile.Read(ref _droppedPublishFailed);
    public long DroppedOverflow => Volatile.Read(ref _droppedOverflow);
    public long Coalesced => Volatile.Read(ref _coalesced);
    public long Refused => Volatile.Read(ref _refused);
    public long SlowClients => Volatile.Read(ref _slowClients);
    public long BacklogBytes => Volatile.Read(ref _backlogBytes);

    public void OnSent() => Interlocked.Increment(ref _sent);
    public void OnPublished() => Interlocked.Increment(ref _published);
    public void OnReceived() => Interlocked.Increment(ref _received);
    public void OnDelivered(int messages, int writes)
    {
        Interlocked.Add(ref _delivered, messages);
        Interlocked.Add(ref _writes, writes);
    }
    public void OnInstanceGone(int recipients) => Interlocked.Add(ref _droppedInstanceGone, recipients);
    public void OnClientGone(int deliveries = 1) => Interlocked.Add(ref _droppedClientGone, deliveries);
    public void OnPublishFailed(int recipients) => Interlocked.Add(ref _droppedPublishFailed, recipients);
    /// <summary>A queued presence send left unsent: <paramref name="replaced"/> by a newer one, or else dropped for room.</summary>
    public void OnDiscarded(int deliveries, bool replaced) => Interlocked.Add(ref replaced ? ref _coalesced : ref _droppedOverflow, deliveries);
    public void OnRefused() => Interlocked.Increment(ref _refused);
    public void OnSlowClient() => Interlocked.Increment(ref _slowClients);
    public void OnBacklog(long bytes) => Interlocked.Add(ref _backlogBytes, bytes);

    public void Dispose() => _meter.Dispose();
}
