using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Dimse;

namespace MiniGptMed.DicomNode.Tests.Support;

/// <summary>
/// A private Orthanc (Debian's package, /usr/sbin/Orthanc) for a test class: its own temporary configuration, storage
/// and index, DICOM and HTTP on loopback ports the OS gives, no plugins, killed on dispose. Reusable: tests store with
/// the node's own <see cref="DicomClient"/> (<see cref="StoreAsync"/>) and read back through the REST API.
/// </summary>
public sealed class OrthancFixture : IAsyncLifetime
{
    public const string AeTitle = "ORTHANC";

    private const string Executable = "/usr/sbin/Orthanc";

    private readonly ConcurrentQueue<string> _log = new();

    private Process? _process;

    public string Root { get; } = Directory.CreateTempSubdirectory("minigptmed-orthanc-").FullName;

    public int DicomPort { get; private set; }

    public int HttpPort { get; private set; }

    /// <summary>Orthanc's REST API (no authentication: it accepts loopback only).</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>The last lines Orthanc logged, for failure messages.</summary>
    public string Log => string.Join('\n', _log);

    public async Task InitializeAsync()
    {
        DicomPort = FreePort();
        do
        {
            HttpPort = FreePort();
        }
        while (HttpPort == DicomPort);

        Http.BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}/");
        var config = new JsonObject
        {
            ["Name"] = "MiniGptMedNodeTest",
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
            // Only this file is read, so the Debian package's plugins are not loaded.
            ["Plugins"] = new JsonArray(),
            ["StorageCompression"] = false,
            ["SaveJobs"] = false,
        };
        var configPath = Path.Combine(Root, "orthanc.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString());
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        start.ArgumentList.Add(configPath);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{Executable} did not start.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitForPortAsync(DicomPort);
        await WaitForPortAsync(HttpPort);
    }

    /// <summary>C-STORE of the files with the node's own SCU, calling AE MINIGPTMED.</summary>
    public Task<IReadOnlyList<StoreOutcome>> StoreAsync(IEnumerable<string> paths) =>
        new DicomClient("127.0.0.1", DicomPort, "MINIGPTMED", AeTitle).StoreAsync(paths.Select(Part10Source.Probe).ToList());

    /// <summary>GET on the REST API, parsed.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync(path));
        return document.RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        Http.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > 200 && _log.TryDequeue(out _))
        {
        }
    }

    private async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process!.HasExited)
            {
                // Readiness poll: Orthanc gives no other signal that it listens.
                await Task.Delay(50);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"Orthanc is not listening on port {port}:\n{Log}", e);
            }
        }
    }
}
