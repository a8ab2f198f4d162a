using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SignalRChat.Hub.Wire;

namespace SignalRChat.Tests.Infrastructure;

/// <summary>The hub protocols a client can speak.</summary>
public enum Protocol
{
    Json,
    MessagePack,
}

/// <summary>
/// A real SignalR client (<c>Microsoft.AspNetCore.SignalR.Client</c>) logged in through the development login.
/// Every value it receives is turned into a <see cref="JsonElement"/>, whatever the protocol, so tests read fields one way.
/// </summary>
public sealed class TestClient : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Channel<JsonElement>> _inboxes = new(StringComparer.Ordinal);

    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TestClient(HubConnection connection, string user)
    {
        Connection = connection;
        User = user;
        connection.Closed += error =>
        {
            _closed.TrySetResult(error);
            return Task.CompletedTask;
        };
    }

    /// <summary>Completes when the connection closes for good, with the error it closed with (the server's reason).</summary>
    public Task<Exception?> Closed => _closed.Task;

    public HubConnection Connection { get; }

    public string User { get; }

    /// <summary>The client ID from <c>Registered</c>.</summary>
    public string ClientId { get; private set; } = "";

    public string InstanceId { get; private set; } = "";

    public static async Task<string> LoginAsync(string baseUrl, string user)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var response = await http.PostAsJsonAsync("/auth/token", new { user });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public static Task<TestClient> ConnectAsync(HubInstance instance, string user, Protocol protocol = Protocol.Json,
        HttpTransportType transport = HttpTransportType.WebSockets, params string[] listenTo) =>
        ConnectAsync(instance.Url, user, protocol, transport, listenTo);

    public static async Task<TestClient> ConnectAsync(string baseUrl, string user, Protocol protocol = Protocol.Json,
        HttpTransportType transport = HttpTransportType.WebSockets, params string[] listenTo)
    {
        var token = await LoginAsync(baseUrl, user);
        var builder = new HubConnectionBuilder().WithUrl($"{baseUrl}/hub", options =>
        {
            options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            options.Transports = transport;
        });
        if (protocol == Protocol.MessagePack)
        {
            builder.AddMessagePackProtocol();
        }
        return await WrapAsync(builder.Build(), user, listenTo);
    }

    /// <summary>Starts <paramref name="connection"/> (built by the caller, with its own token) as a test client.</summary>
    public static async Task<TestClient> WrapAsync(HubConnection connection, string user, params string[] listenTo)
    {
        var client = new TestClient(connection, user);
        foreach (var method in listenTo.Append("Registered").Append("NewMessage").Distinct())
        {
            client.Listen(method);
        }
        await client.Connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var registered = await client.NextAsync("Registered");
        client.ClientId = registered.GetProperty("clientId").GetString()!;
        client.InstanceId = registered.GetProperty("instanceId").GetString()!;
        return client;
    }

    /// <summary>Calls <c>Call(objectId, method, args)</c> and returns the result as JSON.</summary>
    public async Task<JsonElement> CallAsync(string objectId, string method, object? args = null) =>
        ToJson(await Connection.InvokeAsync<object?>("Call", objectId, method, args).WaitAsync(TimeSpan.FromSeconds(30)));

    /// <summary>Calls <c>Create(type, objectId, args)</c>.</summary>
    public async Task<JsonElement> CreateAsync(string type, string objectId, object? args = null) =>
        ToJson(await Connection.InvokeAsync<object?>("Create", type, objectId, args).WaitAsync(TimeSpan.FromSeconds(30)));

    /// <summary>The next invocation of <paramref name="method"/> this client received.</summary>
    public async Task<JsonElement> NextAsync(string method, TimeSpan? timeout = null) =>
        await Inbox(method).Reader.ReadAsync().AsTask().WaitAsync(timeout ?? Eventually.DefaultTimeout);

    /// <summary>The next invocation of <paramref name="method"/> that matches, skipping (and consuming) those that do not.</summary>
    public async Task<JsonElement> NextAsync(string method, Func<JsonElement, bool> match, string what, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Eventually.DefaultTimeout);
        try
        {
            while (true)
            {
                var value = await Inbox(method).Reader.ReadAsync(deadline.Token);
                if (match(value))
                {
                    return value;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"{User} did not receive {method}: {what}.");
        }
    }

    /// <summary>Reads every invocation of <paramref name="method"/> received so far, without waiting.</summary>
    public List<JsonElement> Drain(string method)
    {
        List<JsonElement> received = [];
        while (Inbox(method).Reader.TryRead(out var value))
        {
            received.Add(value);
        }
        return received;
    }

    /// <summary>Invocations of <paramref name="method"/> received and not yet read.</summary>
    public int Pending(string method) => Inbox(method).Reader.Count;

    public void Listen(string method) =>
        Connection.On<object?>(method, value => Inbox(method).Writer.TryWrite(ToJson(value)));

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    private Channel<JsonElement> Inbox(string method) => _inboxes.GetOrAdd(method, _ => Channel.CreateUnbounded<JsonElement>());

    private static JsonElement ToJson(object? value) =>
        value is JsonElement element ? element.Clone() : JsonDocument.Parse(WireValue.ToJson(value) is { Length: > 0 } json ? json : "null"u8.ToArray()).RootElement.Clone();
}
