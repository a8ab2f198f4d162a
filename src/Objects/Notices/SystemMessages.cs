using System.Text.Json;
using SignalRChat.Objects.Presence;
using SignalRChat.Objects.Runtime;

namespace SignalRChat.Objects.Notices;

/// <summary>
/// Sends system messages to players, from server code (any object, a hosted service) or the admin endpoint: the player
/// receives <c>SystemMessage {id, code, text, data, timestamp}</c> on every connection, now and on each connection it
/// opens until it acknowledges the message with <c>Ack</c>.
/// </summary>
public static class SystemMessages
{
    /// <summary>The longest code, in characters: letters, digits, '.', '_' and '-'.</summary>
    public const int MaxCodeLength = 64;

    /// <summary>The longest text, in characters.</summary>
    public const int MaxTextLength = 1000;

    /// <summary>The largest data, in bytes of JSON.</summary>
    public const int MaxDataBytes = 4096;

    /// <summary>Stores a system message for <paramref name="user"/> and pushes it.</summary>
    /// <param name="grains">The grain factory (in a grain: <c>GrainFactory</c>; elsewhere: injected <see cref="IGrainFactory"/>).</param>
    /// <param name="user">Who receives it.</param>
    /// <param name="code">What kind of message it is, for the client to act on (<c>maintenance</c>, <c>reward.granted</c>).</param>
    /// <param name="text">What to show.</param>
    /// <param name="data">A JSON object with details, or null.</param>
    /// <exception cref="ArgumentException">An argument breaks a rule; the message says which.</exception>
    public static Task<SystemMessage> SendAsync(IGrainFactory grains, string user, string code, string text, JsonElement? data = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        if (Problem(user, code, text, data, out var json) is { } problem)
        {
            throw new ArgumentException(problem);
        }
        return grains.GetGrain<IPlayerGrain>(Player.IdOf(user).ToGrainId()).AddSystemMessage(code, text.Trim(), json);
    }

    /// <summary>What is wrong with a system message's parts, or null; <paramref name="json"/> is the data as compact JSON.</summary>
    public static string? Problem(string? user, string? code, string? text, JsonElement? data, out string? json)
    {
        json = null;
        if (UserNames.Problem(user) is { } userProblem)
        {
            return userProblem;
        }
        if (string.IsNullOrEmpty(code) || code.Length > MaxCodeLength || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            return $"code must be 1-{MaxCodeLength} ASCII letters, digits, '.', '_' or '-'.";
        }
        return TextAndDataProblem(text, data, out json);
    }

    /// <summary>The rules system messages and announcements share: text 1-1000 characters, data a JSON object of at
    /// most 4 KB, or null.</summary>
    internal static string? TextAndDataProblem(string? text, JsonElement? data, out string? json)
    {
        json = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return "text must not be empty.";
        }
        if (TextRules.Problem("text", text.Trim(), MaxTextLength, allowLineBreaks: true) is { } textProblem)
        {
            return textProblem;
        }
        if (data is not { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } element)
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            return $"data must be a JSON object or null; it was {element.ValueKind.ToString().ToLowerInvariant()}.";
        }
        json = JsonSerializer.Serialize(element);
        return json.Length <= MaxDataBytes ? null : $"data is {json.Length} bytes of JSON; the limit is {MaxDataBytes}.";
    }
}
