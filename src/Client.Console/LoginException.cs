namespace SignalRChat.Client.Console;

/// <summary>The development login refused the user; the message is the server's reason.</summary>
internal sealed class LoginException(string message) : Exception(message);
