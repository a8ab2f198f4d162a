using Microsoft.AspNetCore.SignalR;
using SignalRChat.Client.Console;

const string Help = "commands: /join ROOM, /leave, /messages, /who, /help, /quit; any other line is sent to the current room";

ClientOptions options;
try
{
    options = ClientOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(ClientOptions.Usage);
    return 2;
}

var output = new Output(Console.Out);
ChatSession session;
try
{
    session = await ChatSession.ConnectAsync(options, output);
}
catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
{
    Console.Error.WriteLine($"Cannot connect to {options.Server}: {e.Message}");
    return 1;
}
await using var _ = session;
output.Line(Help);
while (Console.ReadLine() is { } line)
{
    var parts = line.Split(' ', 2);
    var (command, rest) = line.StartsWith('/') ? (parts[0], parts.ElementAtOrDefault(1)?.Trim() ?? "") : ("", line);
    try
    {
        switch (command)
        {
            case "" when rest.Trim().Length > 0: await session.SendAsync(rest); break;
            case "": break;
            case "/join" when !string.IsNullOrEmpty(rest): await session.JoinAsync(rest); break;
            case "/leave": await session.LeaveAsync(); break;
            case "/messages": await session.HistoryAsync(); break;
            case "/who": await session.WhoAsync(); break;
            case "/help": output.Line(Help); break;
            case "/quit": return 0;
            default: output.Error($"unknown command '{line}'. {Help}"); break;
        }
    }
    catch (HubException e)
    {
        output.Error(e.Message[(e.Message.IndexOf("HubException: ", StringComparison.Ordinal) is var i and >= 0 ? i + 14 : 0)..]);
    }
    catch (InvalidOperationException e)
    {
        output.Error(e.Message);
    }
}
return 0;
