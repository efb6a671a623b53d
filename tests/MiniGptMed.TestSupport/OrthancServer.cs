using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace MiniGptMed.TestSupport;

/// <summary>
/// A private Orthanc (Debian package, /usr/sbin/Orthanc) for one test class: its own temporary storage and index,
/// DICOM and HTTP on loopback ports from the OS, no plugins, killed on dispose. Tests store into it with a DICOM SCU
/// and read back through the REST API.
/// </summary>
public sealed class OrthancServer : IAsyncLifetime
{
    public const string AeTitle = "ORTHANC";

    private const string Executable = "/usr/sbin/Orthanc";

    private readonly ConcurrentQueue<string> log = new();

    private readonly Action<JsonObject>? configure;

    private Process? process;

    public OrthancServer()
    {
    }

    // One public constructor: xunit builds class fixtures through it.
    private OrthancServer(Action<JsonObject> configure) => this.configure = configure;

    /// <summary>With settings of a test's own on top of the defaults (DICOM TLS, say).</summary>
    public static OrthancServer WithSettings(Action<JsonObject> configure) => new(configure);

    public string Root { get; } = Directory.CreateTempSubdirectory("minigptmed-orthanc-").FullName;

    public int DicomPort { get; private set; }

    public int HttpPort { get; private set; }

    /// <summary>Orthanc's REST API on loopback (no authentication: the server accepts loopback only).</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>The last lines Orthanc logged, for failure messages.</summary>
    public string Log => string.Join('\n', log);

    public async Task InitializeAsync()
    {
        DicomPort = Dcmtk.FreePort();
        do
        {
            // Two ports released in turn may in principle come back equal.
            HttpPort = Dcmtk.FreePort();
        }
        while (HttpPort == DicomPort);

        Http.BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}/");
        var config = new JsonObject
        {
            ["Name"] = "MiniGptMedTest",
            ["StorageDirectory"] = Path.Combine(Root, "storage"),
            ["IndexDirectory"] = Path.Combine(Root, "index"),
            ["DicomAet"] = AeTitle,
            [nameof(DicomPort)] = DicomPort,
            [nameof(HttpPort)] = HttpPort,
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["DicomCheckCalledAet"] = true,
            ["DicomAlwaysAllowEcho"] = true,
            ["DicomAlwaysAllowStore"] = true,
            // The Debian package's own configuration loads /usr/share/orthanc/plugins/; ours is the only file
            // Orthanc reads, so an empty list means no plugin at all (GET /plugins is checked to be empty).
            ["Plugins"] = new JsonArray(),
            ["HttpServerEnabled"] = true,
            ["DicomServerEnabled"] = true,
            // Stored files are what the tests compare: no zlib on disk and no IngestTranscoding (both the defaults;
            // compression spelled out so that a changed default cannot alter what the tests read back).
            ["StorageCompression"] = false,
            // Nothing of the run needs to outlive it.
            ["SaveJobs"] = false,
        };
        configure?.Invoke(config);
        var configPath = Path.Combine(Root, "orthanc.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString());

        // Orthanc runs as root here (no refusal) and as any user: it writes only under Root.
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        start.ArgumentList.Add(configPath);
        process = Process.Start(start) ?? throw new InvalidOperationException($"{Executable} did not start.");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Orthanc opens its DICOM port before its HTTP port; the tests need both.
        await WaitForPortAsync(DicomPort);
        await WaitForPortAsync(HttpPort);
    }

    /// <summary>Every stored instance: its Orthanc id and SOP Instance UID.</summary>
    public async Task<IReadOnlyList<(string Id, string SopInstanceUid)>> InstancesAsync()
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync("instances?expand"));
        return document.RootElement.EnumerateArray()
            .Select(i => (i.GetProperty("ID").GetString()!, i.GetProperty("MainDicomTags").GetProperty("SOPInstanceUID").GetString()!))
            .ToList();
    }

    /// <summary>GET on the REST API, parsed.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync(path));
        return document.RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        if (process is not null)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }

        Http.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        log.Enqueue(line);
        while (log.Count > 200 && log.TryDequeue(out _))
        {
        }
    }

    private Task WaitForPortAsync(int port) =>
        Ports.WaitUntilListeningAsync(port, process!, TimeSpan.FromSeconds(20), () => $"Orthanc is not listening on port {port}:\n{Log}");
}
