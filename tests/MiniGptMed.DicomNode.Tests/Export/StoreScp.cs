using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MiniGptMed.DicomNode.Tests.Export;

/// <summary>DCMTK storescp on a loopback port, storing into its own folder; killed when disposed.</summary>
internal sealed class StoreScp : IAsyncDisposable
{
    private readonly Process _process;

    private StoreScp(Process process, string output)
    {
        _process = process;
        Output = output;
    }

    public string Output { get; }

    /// <summary>A port the OS had free a moment ago (nothing listens there until a test starts storescp on it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts storescp as STORESCP; <paramref name="configFile"/> (a DCMTK association profile) limits what it accepts, else it accepts all.</summary>
    public static async Task<StoreScp> StartAsync(int port, string output, string? configFile = null)
    {
        var start = new ProcessStartInfo("storescp") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in configFile is null ? ["--accept-all"] : new[] { "-xf", configFile, "Default" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in new[] { "-aet", "STORESCP", "-od", output, "-uf", port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return new StoreScp(process, output);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                // Readiness poll: storescp has no other signal that it is listening.
                await Task.Delay(50);
            }
        }
    }

    /// <summary>The SOP Instance UIDs storescp stored (-uf names files after them).</summary>
    public IReadOnlyList<string> Stored() =>
        Directory.EnumerateFiles(Output).Select(p => Path.GetFileName(p)).Select(n => n[(n.IndexOf('.', StringComparison.Ordinal) + 1)..])
            .Select(n => n.EndsWith(".dcm", StringComparison.Ordinal) ? n[..^4] : n).Order(StringComparer.Ordinal).ToList();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
