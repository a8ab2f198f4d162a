using SignalRChat.Client.Console;

const string Help = "commands: /join ROOM, /leave, /messages, /who, /status STATUS [TEXT], /follow USER..., /unfollow USER..., /dm USER TEXT, /guild create|invite|accept|leave|say ID ..., /party create|invite|accept|leave|say ID ..., /kick|/ban|/mute|/unban|/unmute USER [MINUTES] [REASON], /help, /quit; any other line is sent to the current room";

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

var terminal = new Terminal();
var output = new Output(terminal);
ChatSession session;
try
{
    session = await ChatSession.ConnectAsync(options, output);
}
catch (Exception e) when (e is HttpRequestException or LoginException or InvalidOperationException)
{
    Console.Error.WriteLine($"Cannot connect to {options.Server}: {e.Message}");
    return 1;
}
await using var _ = session;
output.Line(Help);
while (terminal.ReadLine() is { } line)
{
    var parts = line.Trim().Split(' ', 2);
    var (command, rest) = line.StartsWith('/') ? (parts[0], parts.ElementAtOrDefault(1)?.Trim() ?? "") : ("", line);
    try
    {
        switch (command)
        {
            case "" when rest.Trim().Length > 0: await session.SendAsync(rest); break;
            case "": break;
            case "/join" when rest.Length > 0: await session.JoinAsync(rest); break;
            case "/join": output.Error("/join needs a room name: /join ROOM"); break;
            case "/leave": await session.LeaveAsync(); break;
            case "/messages": await session.HistoryAsync(); break;
            case "/who": await session.WhoAsync(); break;
            case "/status" when rest.Length > 0:
                var status = rest.Split(' ', 2);
                await session.SetStatusAsync(status[0], status.ElementAtOrDefault(1));
                break;
            case "/status": output.Error("/status needs a status: /status online|away|busy|in-game|in-menu|invisible [TEXT]"); break;
            case "/follow" when rest.Length > 0: await session.FollowAsync(Users(rest)); break;
            case "/follow": output.Error("/follow needs user names: /follow USER..."); break;
            case "/unfollow" when rest.Length > 0: await session.UnfollowAsync(Users(rest)); break;
            case "/unfollow": output.Error("/unfollow needs user names: /unfollow USER..."); break;
            case "/dm" when rest.Split(' ', 2) is [var to, var text] && text.Trim().Length > 0: await session.SendDirectAsync(to, text); break;
            case "/dm": output.Error("/dm needs a user and a text: /dm USER TEXT"); break;
            case "/guild" or "/party" when rest.Split(' ', 3) is [var verb, var id, .. var more]:
                var extra = more.Length > 0 && more[0].Trim().Length > 0 ? more[0].Trim() : null;
                await (command == "/guild" ? session.GuildAsync(verb, id, extra) : session.PartyAsync(verb, id, extra));
                break;
            case "/guild": output.Error("/guild create ID [NAME] | invite ID USER | accept ID | leave ID | say ID TEXT"); break;
            case "/party": output.Error("/party create ID | invite ID USER | accept ID | leave ID | say ID TEXT"); break;
            case "/kick" or "/ban" or "/mute" or "/unban" or "/unmute" when rest.Split(' ', 2) is [var target, .. var more] && target.Length > 0:
                var detail = more.FirstOrDefault()?.Trim() ?? "";
                var minutes = detail.Split(' ', 2) is [var first, ..] && int.TryParse(first, out var m) ? m : (int?)null;
                var reason = minutes is null ? detail : detail.Split(' ', 2).ElementAtOrDefault(1)?.Trim() ?? "";
                await session.ModerateAsync(command[1..], target, minutes, reason.Length > 0 ? reason : null);
                break;
            case "/kick" or "/ban" or "/mute" or "/unban" or "/unmute": output.Error($"{command} needs a user: {command} USER [MINUTES] [REASON]"); break;
            case "/help": output.Line(Help); break;
            case "/quit": return 0;
            default: output.Error($"unknown command '{line.Trim()}'. {Help}"); break;
        }
    }
    catch (Exception e) when (e is not OutOfMemoryException)
    {
        // The server's reason (HubException), no room joined, or no connection right now: say so and read on.
        output.Error(Errors.Reason(e));
    }
}
return 0;

static string[] Users(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
