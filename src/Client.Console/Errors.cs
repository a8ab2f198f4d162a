using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Client.Console;

internal static class Errors
{
    private const string HubExceptionMarker = "HubException: ";

    /// <summary>What starts the text of a temporary error: retrying may succeed.</summary>
    private const string TemporaryMarker = "[temporary] ";

    /// <summary>The reason a call failed, without SignalR's "An unexpected error occurred invoking 'Call'" preamble or
    /// the temporary marker.</summary>
    public static string Reason(Exception e)
    {
        var reason = e is HubException && e.Message.IndexOf(HubExceptionMarker, StringComparison.Ordinal) is var at and >= 0
            ? e.Message[(at + HubExceptionMarker.Length)..]
            : e.Message;
        return reason.StartsWith(TemporaryMarker, StringComparison.Ordinal) ? reason[TemporaryMarker.Length..] : reason;
    }

    /// <summary>Whether retrying may succeed: the server marked the error temporary, or no answer came at all (the
    /// connection closed, or the call timed out). Other server errors are refusals.</summary>
    public static bool IsTemporary(Exception e) =>
        e is not HubException hub
        || (hub.Message.IndexOf(HubExceptionMarker, StringComparison.Ordinal) is var at and >= 0
            && hub.Message.AsSpan(at + HubExceptionMarker.Length).StartsWith(TemporaryMarker, StringComparison.Ordinal));
}
