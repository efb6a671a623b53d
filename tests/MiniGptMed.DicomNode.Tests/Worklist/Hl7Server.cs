using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.Worklist;

/// <summary>python3-hl7's own MLLP server (Support/hl7_probe.py serve), answering with the given ACK codes in turn.</summary>
internal sealed class Hl7Server : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();
    private readonly Task _reading;

    private Hl7Server(Process process, int port)
    {
        _process = process;
        Port = port;
        _reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                await _received.Writer.WriteAsync(new Received(root.GetProperty("ack").GetString()!, root.GetProperty("control_id").GetString()!,
                    root.GetProperty("message").GetString()!));
            }

            _received.Writer.TryComplete();
        });
    }

    public sealed record Received(string Ack, string ControlId, string Message);

    public int Port { get; }

    public static async Task<Hl7Server> StartAsync(params string[] codes)
    {
        var info = new ProcessStartInfo(TestPaths.Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Support", "hl7_probe.py"));
        info.ArgumentList.Add("serve");
        foreach (var code in codes)
        {
            info.ArgumentList.Add(code);
        }

        var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (first is null || !first.StartsWith("PORT ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"hl7 server did not start: {first} {await process.StandardError.ReadToEndAsync(timeout.Token)}");
        }

        return new Hl7Server(process, int.Parse(first[5..], CultureInfo.InvariantCulture));
    }

    /// <summary>The next message the server received (with the ACK code it answered), or a timeout.</summary>
    public async Task<Received> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        return await _received.Reader.ReadAsync(cts.Token);
    }

    public bool TryNext(out Received? received)
    {
        var ok = _received.Reader.TryRead(out var r);
        received = r;
        return ok;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        await _reading;
        _process.Dispose();
    }
}
