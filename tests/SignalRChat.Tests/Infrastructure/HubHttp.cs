using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace SignalRChat.Tests.Infrastructure;

/// <summary>Plain HTTP requests to a hub instance with a bearer token: the admin endpoints, and negotiations that show
/// how the instance answers a token before any SignalR client gets involved.</summary>
public static class HubHttp
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>POSTs <paramref name="body"/> (JSON, or none) to <paramref name="path"/>, with <paramref name="token"/> when given.</summary>
    public static async Task<HttpResponseMessage> PostAsync(string baseUrl, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}{path}") { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await Http.SendAsync(request);
    }

    /// <summary>A SignalR negotiation of <c>/hub</c>, as the official clients start a connection.</summary>
    public static Task<HttpResponseMessage> NegotiateAsync(string baseUrl, string? token) =>
        PostAsync(baseUrl, "/hub/negotiate?negotiateVersion=1", token);

    /// <summary>POSTs to an admin endpoint as <paramref name="admin"/> (a development admin) and requires success.</summary>
    public static async Task AdminPostAsync(string baseUrl, string path, string admin = "root")
    {
        var response = await PostAsync(baseUrl, path, await TestClient.LoginAsync(baseUrl, admin));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
