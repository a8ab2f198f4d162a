namespace SignalRChat.Load.Report;

/// <summary>
/// What the tool is doing, on standard error: a bar redrawn in place in a terminal, plain lines otherwise (a log, CI).
/// </summary>
internal sealed class Progress(int steps)
{
    private const int Width = 30;
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private int _step;
    private string _lastLine = "";

    /// <summary>Starts the next step (a mode's run).</summary>
    public void Step(string what)
    {
        _step++;
        Report(what, 0);
    }

    /// <summary>Shows how far the current step is, from 0 to 1.</summary>
    public void Report(string what, double fraction)
    {
        var overall = Math.Clamp((_step - 1 + Math.Clamp(fraction, 0, 1)) / Math.Max(1, steps), 0, 1);
        var filled = (int)(overall * Width);
        var line = $"[{new string('#', filled)}{new string('.', Width - filled)}] {overall,4:P0} {what}";
        lock (this)
        {
            if (_terminal)
            {
                Console.Error.Write($"\r\e[K{line}");
            }
            else if (what != _lastLine)
            {
                Console.Error.WriteLine(line);
            }
            _lastLine = what;
        }
    }

    public void Done()
    {
        if (_terminal)
        {
            Console.Error.WriteLine();
        }
    }
}
