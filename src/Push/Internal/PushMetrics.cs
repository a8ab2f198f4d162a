using System.Diagnostics.Metrics;

namespace SignalRChat.Push.Internal;

/// <summary>
/// Counts of the push path, readable in process and exported as the <c>SignalRChat.Push</c> meter
/// (<c>dotnet-counters monitor --counters SignalRChat.Push</c>).
/// </summary>
internal sealed class PushMetrics : IDisposable
{
    public const string MeterName = "SignalRChat.Push";
    private readonly Meter _meter;
    private long _published;
    private long _received;
    private long _delivered;
    private long _writes;
    private long _droppedInstanceGone;
    private long _droppedClientGone;
    private long _droppedPublishFailed;
    private long _refused;
    private long _slowClients;

    public PushMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableCounter("signalrchat.push.backplane.published", () => Published, "{message}", "Backplane messages published by this instance.");
        _meter.CreateObservableCounter("signalrchat.push.backplane.received", () => Received, "{message}", "Backplane messages received by this instance.");
        _meter.CreateObservableCounter("signalrchat.push.delivered", () => Delivered, "{delivery}", "Messages handed to local connections.");
        _meter.CreateObservableCounter("signalrchat.push.writes", () => Writes, "{write}", "Writes to local connections; a run of several messages is one write.");
        _meter.CreateObservableCounter("signalrchat.push.dropped.instance_gone", () => DroppedInstanceGone, "{delivery}", "Deliveries dropped because the target instance is gone.");
        _meter.CreateObservableCounter("signalrchat.push.dropped.client_gone", () => DroppedClientGone, "{delivery}", "Deliveries dropped because the connection is gone.");
        _meter.CreateObservableCounter("signalrchat.push.dropped.publish_failed", () => DroppedPublishFailed, "{delivery}", "Deliveries dropped because Redis refused the publish.");
        _meter.CreateObservableCounter("signalrchat.push.refused", () => Refused, "{message}", "Messages refused because an outbox was full.");
        _meter.CreateObservableCounter("signalrchat.push.slow_clients", () => SlowClients, "{connection}", "Connections closed for not reading their messages.");
    }

    public long Published => Volatile.Read(ref _published);
    public long Received => Volatile.Read(ref _received);
    public long Delivered => Volatile.Read(ref _delivered);
    public long Writes => Volatile.Read(ref _writes);
    public long DroppedInstanceGone => Volatile.Read(ref _droppedInstanceGone);
    public long DroppedClientGone => Volatile.Read(ref _droppedClientGone);
    public long DroppedPublishFailed => Volatile.Read(ref _droppedPublishFailed);
    public long Refused => Volatile.Read(ref _refused);
    public long SlowClients => Volatile.Read(ref _slowClients);

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
    public void OnRefused() => Interlocked.Increment(ref _refused);
    public void OnSlowClient() => Interlocked.Increment(ref _slowClients);

    public void Dispose() => _meter.Dispose();
}
