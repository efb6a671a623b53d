using System.Diagnostics;
using System.Text;

namespace MiniGptMed.TestSupport;

/// <summary>Runs a real external program (DCMTK, GDCM, dciodvfy, pydicom scripts, the node's CLI) with a timeout and captures what it printed.</summary>
public static class ExternalProcess
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public string Output => StandardOutput + StandardError;
    }

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null, string? stdin = null)
    {
        var info = StartInfo(fileName, arguments);
        info.RedirectStandardInput = stdin is not null;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {fileName}.");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in time.");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs the program and returns its standard output; a non-zero exit throws with its standard error.</summary>
    public static async Task<string> RunCheckedAsync(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var result = await RunAsync(fileName, arguments, timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} exited with {result.ExitCode}: {result.StandardError}");
        }

        return result.StandardOutput;
    }

    /// <summary>Runs a Python script given as text with Debian's python3 (pydicom, numpy); returns what it printed.</summary>
    public static Task<string> PythonAsync(string script, params string[] arguments) =>
        RunCheckedAsync(TestPaths.Python, ["-c", script, .. arguments]);

    /// <summary>
    /// The synchronous form, for fixtures built in constructors: standard output, or an exception with standard error
    /// when the program fails or runs past the timeout.
    /// </summary>
    public static string Run(string fileName, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(fileName, arguments)) ?? throw new InvalidOperationException($"{fileName} did not start");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(DefaultTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in 2 minutes");
        }

        // The parameterless wait also waits for the redirected standard error to reach its end.
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            lock (stderr)
            {
                throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr}");
            }
        }

        return stdout;
    }

    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
