using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace SignalRChat.Tests.Infrastructure;

/// <summary>
/// An official SignalR client of a <see cref="BackplaneServer"/> hub. It records every <c>Hello</c> it receives, and
/// answers the client-result method <c>Result</c> with what <see cref="Answer"/> returns.
/// </summary>
public sealed class PlainClient : IAsyncDisposable
{
    private readonly Channel<string> _hello = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _questions = Channel.CreateUnbounded<string>();

    private PlainClient(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }

    /// <summary>The client ID from <c>Registered</c>.</summary>
    public string ClientId { get; private set; } = "";

    /// <summary>SignalR's plain connection ID.</summary>
    public string ConnectionId => Connection.ConnectionId!;

    /// <summary>How the client answers <c>Result</c>; by default with 10.</summary>
    public Func<string, Task<object?>> Answer { get; set; } = _ => Task.FromResult<object?>(10);

    /// <param name="serverTimeout">How long the client waits to hear from the server before it closes; SignalR's default if null.</param>
    public static async Task<PlainClient> ConnectAsync(BackplaneServer server, string user = "anyone", Protocol protocol = Protocol.Json, string hub = "/conformance",
        TimeSpan? serverTimeout = null)
    {
        var builder = new HubConnectionBuilder().WithUrl($"{server.Url}{hub}?user={Uri.EscapeDataString(user)}");
        if (protocol == Protocol.MessagePack)
        {
            builder.AddMessagePackProtocol();
        }
        var client = new PlainClient(builder.Build());
        if (serverTimeout is { } timeout)
        {
            client.Connection.ServerTimeout = timeout;
        }
        var registered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connection.On<Dictionary<string, string>>("Registered", registration => registered.TrySetResult(registration["clientId"]));
        client.Connection.On<string>("Hello", text => client._hello.Writer.TryWrite(text));
        client.Connection.On<string, object?>("Result", async question =>
        {
            client._questions.Writer.TryWrite(question);
            return await client.Answer(question);
        });
        await client.Connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        client.ClientId = await registered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return client;
    }

    /// <summary>The next <c>Hello</c> received.</summary>
    public async Task<string> NextAsync() => await _hello.Reader.ReadAsync().AsTask().WaitAsync(Eventually.DefaultTimeout);

    /// <summary>The next question <c>Result</c> was asked.</summary>
    public async Task<string> NextQuestionAsync() => await _questions.Reader.ReadAsync().AsTask().WaitAsync(Eventually.DefaultTimeout);

    /// <summary><c>Hello</c>s received and not read.</summary>
    public int Pending => _hello.Reader.Count;

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
