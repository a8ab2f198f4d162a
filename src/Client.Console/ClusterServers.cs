using System.Net.Http.Json;

namespace SignalRChat.Client.Console;

/// <summary>
/// The hub instances this client knows: the one it was given, and those the cluster lists at <c>GET /cluster</c>
/// (read at every connect). When its instance is gone, the next connect tries the others in turn.
/// </summary>
internal sealed class ClusterServers(Uri first)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly object _lock = new();
    private List<Uri> _known = [first];
    private int _current;

    /// <summary>The instance the client connects to now.</summary>
    public Uri Current
    {
        get
        {
            lock (_lock)
            {
                return _known[_current];
            }
        }
    }

    /// <summary>Every known instance once, starting with <see cref="Current"/>.</summary>
    public IReadOnlyList<Uri> InTurn()
    {
        lock (_lock)
        {
            return [.. _known.Skip(_current), .. _known.Take(_current)];
        }
    }

    /// <summary>Makes <paramref name="server"/> the current instance.</summary>
    public void MoveTo(Uri server)
    {
        lock (_lock)
        {
            var index = _known.IndexOf(server);
            _current = index >= 0 ? index : Add(server);
        }
    }

    /// <summary>Learns the cluster's ready instances from the current one; keeps what it knew when that fails.</summary>
    public async Task RefreshAsync()
    {
        var current = Current;
        try
        {
            var view = await Http.GetFromJsonAsync<ClusterView>(new Uri(current, "/cluster"));
            lock (_lock)
            {
                foreach (var instance in view?.Instances ?? [])
                {
                    if (instance is { Status: "ready", Url: { } url } && Uri.TryCreate(url, UriKind.Absolute, out var uri) && !_known.Contains(uri))
                    {
                        Add(uri);
                    }
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or NotSupportedException)
        {
            // An older server without /cluster, or one that went away meanwhile: the next connect finds out.
        }
    }

    private int Add(Uri server)
    {
        _known.Add(server);
        return _known.Count - 1;
    }

    private sealed record ClusterView(IReadOnlyList<Instance>? Instances);

    private sealed record Instance(string? Url, string? Status);
}
