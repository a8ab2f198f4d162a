namespace SignalRChat.Tests.Infrastructure;

/// <summary>The console client (<c>src/Client.Console</c>) as a real child process, typed at through standard input.</summary>
public static class ConsoleClient
{
    public static ScriptedProcess Start(params string[] args) =>
        ScriptedProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "signalrchat-console.dll"), .. args]);

    /// <summary>Starts the client against <paramref name="instance"/> and waits until it is connected and ready for commands.</summary>
    public static Task<ScriptedProcess> ConnectAsync(HubInstance instance, string user, Protocol protocol = Protocol.Json) =>
        ConnectAsync(instance.Url, user, protocol);

    /// <summary>Starts the client against the instance at <paramref name="baseUrl"/> and waits until it is ready for commands.</summary>
    public static async Task<ScriptedProcess> ConnectAsync(string baseUrl, string user, Protocol protocol = Protocol.Json)
    {
        var client = Start("--server", baseUrl, "--user", user, "--protocol", protocol == Protocol.MessagePack ? "messagepack" : "json");
        await client.ExpectAsync(line => line.StartsWith("commands:", StringComparison.Ordinal), "the help line printed once connected");
        return client;
    }

    /// <summary>Reads the next printed line that shows a chat message, as <c>user: text</c> (without the time).</summary>
    public static async Task<string> NextMessageAsync(this ScriptedProcess client, TimeSpan? timeout = null)
    {
        var line = await client.ExpectAsync(IsMessage, "a chat message line", timeout);
        return line[(line.IndexOf(']', StringComparison.Ordinal) + 2)..];
    }

    /// <summary>A message line: <c>[HH:mm:ss] user: text</c>.</summary>
    private static bool IsMessage(string line) =>
        line.Length > 11 && line[0] == '[' && line[9] == ']' && TimeOnly.TryParseExact(line[1..9], "HH:mm:ss", out _);
}
