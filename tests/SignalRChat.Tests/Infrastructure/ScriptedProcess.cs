using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace SignalRChat.Tests.Infrastructure;

/// <summary>
/// A real child process driven as a script would drive it: lines to its standard input, lines read from its standard
/// output and error. Killed (by its own id) on dispose if it is still running.
/// </summary>
public sealed class ScriptedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _transcript = new();
    private int _openStreams = 2; // standard output and error

    private ScriptedProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Received(e.Data);
        process.ErrorDataReceived += (_, e) => Received(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static ScriptedProcess Start(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return new ScriptedProcess(Process.Start(start)!);
    }

    /// <summary>Everything the process printed so far, for failure messages.</summary>
    public string Transcript
    {
        get
        {
            lock (_transcript)
            {
                return _transcript.ToString();
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>Types a line, as a person at the keyboard would (then Enter).</summary>
    public async Task SendLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Reads printed lines until one matches; the lines before it are skipped.</summary>
    /// <returns>The matching line.</returns>
    public async Task<string> ExpectAsync(Func<string, bool> match, string what, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Eventually.DefaultTimeout);
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(deadline.Token);
                if (match(line))
                {
                    return line;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"The process never printed {what}. It printed:\n{Transcript}");
        }
    }

    /// <summary>Reads printed lines until each of <paramref name="matches"/> has matched one, in any order: for lines
    /// that come from different sources (a call's answer and a push) and may arrive either way round.</summary>
    public async Task ExpectAllAsync(string what, params Func<string, bool>[] matches)
    {
        var pending = matches.ToList();
        while (pending.Count > 0)
        {
            var line = await ExpectAsync(candidate => pending.Any(match => match(candidate)), what);
            pending.Remove(pending.First(match => match(line)));
        }
    }

    /// <summary>Closes standard input, as the end of a piped script does, and waits for the process to exit.</summary>
    public async Task EndInputAsync(TimeSpan timeout)
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync().WaitAsync(timeout);
    }

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            if (Interlocked.Decrement(ref _openStreams) == 0)
            {
                _lines.Writer.TryComplete();
            }
            return;
        }
        lock (_transcript)
        {
            _transcript.AppendLine(line);
        }
        _lines.Writer.TryWrite(line);
    }
}
