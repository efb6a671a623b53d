using System.Diagnostics;
using System.Globalization;

namespace MiniGptMed.TestSupport;

/// <summary>DCMTK storescp on a loopback port, storing into its own folder; killed when disposed.</summary>
public sealed class StoreScp : IAsyncDisposable
{
    private readonly Process _process;

    private StoreScp(Process process, string output)
    {
        _process = process;
        Output = output;
    }

    public string Output { get; }

    /// <summary>Starts storescp as STORESCP; <paramref name="configFile"/> (a DCMTK association profile) limits what it accepts, else it accepts all.</summary>
    public static async Task<StoreScp> StartAsync(int port, string output, string? configFile = null)
    {
        string[] accept = configFile is null ? ["--accept-all"] : ["-xf", configFile, "Default"];
        var process = await Dcmtk.StartListeningAsync(port, "storescp", [.. accept, "-aet", "STORESCP", "-od", output, "-uf", port.ToString(CultureInfo.InvariantCulture)]);
        return new StoreScp(process, output);
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
