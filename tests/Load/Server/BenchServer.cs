using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using SignalRChat.Hub.Hosting;
using SignalRChat.Hub.Wire;
using SignalRChat.Push;
using StackExchange.Redis;

namespace SignalRChat.Load.Server;

/// <summary>
/// One hub instance as the benchmark runs it: the real hub process (<see cref="HubApplication"/>), plus
/// <see cref="BenchHub"/> and endpoints on loopback that let the tool start a sender inside it and put connections into
/// groups. They exist only in this tool. With <c>Bench:Stock=true</c> the bench hub runs on SignalR's own Redis
/// backplane (<c>RedisHubLifetimeManager</c>), the stock backplane we compare against; otherwise on ours.
/// </summary>
internal static class BenchServer
{
    public const string Command = "serve";

    /// <summary>The client method every measured push invokes.</summary>
    public const string Method = "BenchMessage";

    /// <summary>The client method of warm-up pushes, which take the same path and are not counted.</summary>
    public const string WarmupMethod = "BenchWarmup";

    /// <summary>The client method of the system-class pushes a send interleaves (<see cref="SendRequest.SystemEvery"/>).</summary>
    public const string SystemMethod = "BenchSystem";

    public static async Task<int> RunAsync(string[] args)
    {
        // As the hub's executable does, before anything uses a shared ArrayPool.
        SharedArrayPoolSize.Apply();
        var app = HubApplication.Build(args, builder =>
        {
            var stock = builder.Configuration.GetValue<bool>("Bench:Stock");
            builder.Services.AddSingleton(new BenchBackplane(stock));
            if (stock)
            {
                // A closed registration for the bench hub takes precedence over the cluster backplane's open one.
                var redis = builder.Configuration.GetConnectionString("Redis")!;
                builder.Services.Configure<RedisOptions>(options => options.Configuration = ConfigurationOptions.Parse(redis));
                builder.Services.AddSingleton<HubLifetimeManager<BenchHub>, RedisHubLifetimeManager<BenchHub>>();
            }
        });
        // Like the executable: the process ends within its shutdown timeout even when Redis went away first.
        ShutdownDeadline.Enforce(app);
        app.MapHub<BenchHub>(BenchHub.Path);
        app.MapPost("/bench/send", SendAsync);
        app.MapPost("/bench/groups", AddToGroupAsync);
        app.MapPost("/bench/broadcast", BroadcastAsync);
        app.MapGet("/bench/jit", () => System.Runtime.JitInfo.GetCompiledMethodCount());
        app.MapGet("/bench/gc-pause", () => GC.GetTotalPauseDuration().TotalMilliseconds);
        // The managed heap after a full collection: what connections keep alive, without the garbage and free space RSS includes.
        app.MapGet("/bench/heap", () => GC.GetTotalMemory(forceFullCollection: true));
        // Where objects live, for the chaos runs: this process's silo, and the silo an object is active on (empty: none).
        app.MapGet("/bench/silo", (IServiceProvider services) => services.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>().SiloAddress.ToParsableString());
        app.MapGet("/bench/host", async (string objectId, IGrainFactory grains) =>
            (await grains.GetGrain<Orleans.Runtime.IManagementGrain>(0)
                .GetActivationAddress(grains.GetGrain<SignalRChat.Objects.Runtime.IObjectGrain>(ObjectGrainId(objectId))))
            ?.ToParsableString() ?? "");
        await app.RunAsync();
        return 0;
    }

    /// <summary>The grain of an object ID, as the objects' runtime addresses it.</summary>
    private static GrainId ObjectGrainId(string objectId)
    {
        var id = SignalRChat.Objects.Runtime.ObjectId.Parse(objectId);
        return GrainId.Create(id.Type, id.Key);
    }

    /// <summary>Pushes the messages one after another, as fast as the push path takes them or at the given rate.</summary>
    private static async Task<SendResult> SendAsync(SendRequest request, IHubContext<BenchHub> hub)
    {
        var pad = new string('x', request.Payload);
        var method = request.Warmup ? WarmupMethod : Method;
        var backpressure = 0;
        var started = Stopwatch.GetTimestamp();
        for (var seq = 1; seq <= request.Messages; seq++)
        {
            if (request.Rate > 0)
            {
                var due = started + (long)((seq - 1) * (double)Stopwatch.Frequency / request.Rate);
                if (Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due) is { TotalMilliseconds: > 1 } wait)
                {
                    await Task.Delay(wait);
                }
            }
            backpressure += await PushAsync(hub, request, method, seq, pad);
            if (request.SystemEvery > 0 && seq % request.SystemEvery == 0)
            {
                using (PushPriorities.Use(PushPriority.System))
                {
                    backpressure += await PushAsync(hub, request, SystemMethod, seq, "");
                }
            }
        }
        return new SendResult(started, Stopwatch.GetTimestamp(), backpressure);
    }

    /// <summary>Pushes one message, waiting while an outbox is full; returns how many times it was refused.</summary>
    private static async Task<int> PushAsync(IHubContext<BenchHub> hub, SendRequest request, string method, int seq, string pad)
    {
        for (var refused = 0; ; refused++)
        {
            var message = new BenchMessage(seq, Stopwatch.GetTimestamp(), pad);
            try
            {
                if (request.Group is { } group)
                {
                    await hub.Clients.Group(group).SendAsync(method, WireValue.From(message));
                }
                else
                {
                    await hub.Clients.Clients(request.ClientIds!).SendAsync(method, WireValue.From(message));
                }
                return refused;
            }
            catch (OutboxFullException)
            {
                // The outbox towards an instance is full: the sender slows down to what the backplane drains.
                await Task.Delay(1);
            }
        }
    }

    private static async Task AddToGroupAsync(GroupRequest request, IHubContext<BenchHub> hub)
    {
        foreach (var connectionId in request.ConnectionIds)
        {
            await hub.Groups.AddToGroupAsync(connectionId, request.Group);
        }
    }

    private static async Task<SendResult> BroadcastAsync(IHubContext<BenchHub> hub)
    {
        var started = Stopwatch.GetTimestamp();
        await hub.Clients.All.SendAsync(Method, WireValue.From(new BenchMessage(1, started, "")));
        return new SendResult(started, Stopwatch.GetTimestamp(), 0);
    }
}

/// <summary>What each benchmark push carries: <c>sentAt</c> is a <see cref="Stopwatch"/> timestamp, one clock for every process on the machine.</summary>
internal sealed record BenchMessage(long Seq, long SentAt, string Pad);

/// <summary>Push <paramref name="Messages"/> to the clients, or to the group when one is named.</summary>
/// <param name="SystemEvery">After every this many messages, one <c>BenchSystem</c> push in the system class; 0 for none.</param>
internal sealed record SendRequest(string[]? ClientIds, string? Group, int Messages, int Rate, int Payload, bool Warmup = false, int SystemEvery = 0);

internal sealed record GroupRequest(string Group, string[] ConnectionIds);

internal sealed record SendResult(long StartedAt, long FinishedAt, int Backpressure);
