using Microsoft.AspNetCore.SignalR;

namespace SignalRChat.Client.Console;

internal static class Errors
{
    /// <summary>The reason a call failed, without SignalR's "An unexpected error occurred invoking 'Call'" preamble.</summary>
    public static string Reason(Exception e)
    {
        const string Marker = "HubException: ";
        return e is HubException && e.Message.IndexOf(Marker, StringComparison.Ordinal) is var at and >= 0
            ? e.Message[(at + Marker.Length)..]
            : e.Message;
    }
}
