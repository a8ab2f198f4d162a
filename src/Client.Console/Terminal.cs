using System.Text;

namespace SignalRChat.Client.Console;

/// <summary>
/// Lines in, whole lines out. In a terminal the line being typed stays below everything printed: a push that arrives
/// mid-word is printed above it and the typed text is drawn again, so neither garbles the other. When input or output
/// is redirected (a pipe, a script, a test) it reads and writes plain lines.
/// </summary>
internal sealed class Terminal
{
    private const string Prompt = "> ";
    private readonly Lock _gate = new();
    private readonly StringBuilder _typed = new();
    private readonly bool _interactive = !System.Console.IsInputRedirected && !System.Console.IsOutputRedirected;
    private int _typedRows; // screen rows the prompt and typed text take, less one
    private bool _reading; // the prompt is on screen only while a line is being read

    public void WriteLine(string text)
    {
        lock (_gate)
        {
            if (!_reading)
            {
                System.Console.Out.WriteLine(text);
                System.Console.Out.Flush();
                return;
            }
            EraseTyped();
            System.Console.Out.Write(text);
            System.Console.Out.Write('\n');
            DrawTyped();
        }
    }

    /// <returns>The next line, or null at the end of input (Ctrl+D on an empty line, or the pipe closed).</returns>
    public string? ReadLine()
    {
        if (!_interactive)
        {
            return System.Console.In.ReadLine();
        }
        lock (_gate)
        {
            _reading = true;
            DrawTyped();
        }
        while (true)
        {
            var key = System.Console.ReadKey(intercept: true);
            lock (_gate)
            {
                switch (key.Key)
                {
                    case ConsoleKey.Enter:
                        var line = _typed.ToString();
                        EraseTyped();
                        _typed.Clear();
                        _reading = false;
                        return line;
                    case ConsoleKey.Backspace when _typed.Length > 0:
                        _typed.Length--;
                        break;
                    case ConsoleKey.Escape:
                        _typed.Clear();
                        break;
                    case ConsoleKey.D when key.Modifiers.HasFlag(ConsoleModifiers.Control) && _typed.Length == 0:
                        EraseTyped();
                        _reading = false;
                        return null;
                    default:
                        if (!char.IsControl(key.KeyChar))
                        {
                            _typed.Append(key.KeyChar);
                        }
                        break;
                }
                EraseTyped();
                DrawTyped();
            }
        }
    }

    private void EraseTyped()
    {
        // Back to the first row of the prompt, then clear to the end of the screen.
        System.Console.Out.Write(_typedRows > 0 ? $"\r\e[{_typedRows}A\e[J" : "\r\e[J");
        _typedRows = 0;
    }

    private void DrawTyped()
    {
        System.Console.Out.Write(Prompt);
        System.Console.Out.Write(_typed);
        System.Console.Out.Flush();
        var width = Math.Max(1, System.Console.WindowWidth);
        // A full last row leaves the cursor on it until the next character, hence the - 1.
        _typedRows = (Prompt.Length + _typed.Length - 1) / width;
    }
}
