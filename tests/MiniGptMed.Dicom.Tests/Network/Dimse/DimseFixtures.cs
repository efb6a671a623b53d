using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Network.Dimse;

/// <summary>Our storage SCP on a loopback port from the OS, storing into a fresh temporary folder.</summary>
internal sealed class StorageScp : IAsyncDisposable
{
    public StorageScp(
        Action<FileSystemStoreOptions>? configureStore = null,
        Action<DicomListenerOptions>? configure = null,
        Func<IDicomStoreService, IDicomStoreService>? wrapStore = null,
        LogCapture? logs = null,
        string? root = null,
        TimeSpan? refusalLogWindow = null,
        Microsoft.Extensions.Logging.ILogger<DicomListener>? logger = null,
        IStoredInstanceSink? sink = null)
    {
        Logs = logs ?? new LogCapture();
        Root = root ?? Directory.CreateTempSubdirectory("minigptmed-scp-").FullName;
        _ownsRoot = root is null;
        var storeOptions = new FileSystemStoreOptions { RootDirectory = Root, MinimumFreeBytes = 0 };
        configureStore?.Invoke(storeOptions);
        Store = new FileSystemStoreService(storeOptions, Logs.For<FileSystemStoreService>(), sink);
        var options = new DicomListenerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) };
        options.Association.ArtimTimeout = TimeSpan.FromSeconds(10);
        configure?.Invoke(options);
        Listener = new DicomListener(
            options,
            new LoopbackOnlyAssociationPolicy(),
            StorageNegotiation.CreateScpNegotiator(),
            new DimseServiceHandlerFactory(new VerificationService(), wrapStore?.Invoke(Store) ?? Store, Logs.For<DimseServiceHandlerFactory>(), refusalLogWindow),
            logger ?? Logs.For<DicomListener>());
        Listener.AssociationClosed += e => Closures.Writer.TryWrite(e);
        Listener.Start();
    }

    private readonly bool _ownsRoot;

    public string Root { get; }

    /// <summary>Everything the listener, the dispatcher and the store logged.</summary>
    public LogCapture Logs { get; }

    public FileSystemStoreService Store { get; }

    public DicomListener Listener { get; }

    public Channel<Exception?> Closures { get; } = Channel.CreateUnbounded<Exception?>();

    public int Port => Listener.LocalEndPoint.Port;

    public DicomClient Client(string calledAe = "MINIGPTMED") => new("127.0.0.1", Port, "TESTSCU", calledAe);

    public string[] StoredFiles() => Directory.GetFiles(Root, "*.dcm", SearchOption.AllDirectories);

    /// <summary>Non-empty files in .incoming: partial instances. Empty ones are the store's pool of ready files.</summary>
    public string[] TempFiles() => [.. Directory.GetFiles(Path.Combine(Root, ".incoming")).Where(path => new FileInfo(path).Length > 0)];

    public async Task<Exception?> NextClosureAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await Closures.Reader.ReadAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        Store.Dispose();
        if (_ownsRoot)
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

/// <summary>Runs DCMTK command-line tools with a timeout and captures their output.</summary>
internal static class Dcmtk
{
    public static readonly string Corpus = TestPaths.PydicomTestFiles;

    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] args)
    {
        var result = await ExternalProcess.RunAsync(tool, args, TimeSpan.FromSeconds(60));
        return (result.ExitCode, result.StandardOutput + result.StandardError);
    }

    /// <summary>A free loopback port: bind 0, read it, release it for a child process that cannot bind 0 itself.</summary>
    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Starts a process and waits until it accepts TCP connections on <paramref name="port"/>.</summary>
    public static async Task<Process> StartListeningAsync(int port, string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
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
                return process;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                // Readiness poll: the child has no other signal that it is listening.
                await Task.Delay(50);
            }
        }
    }

    /// <summary>
    /// A file's element values in one encoding (implicit VR little endian, so that a VR lost to an implicit VR hop does not count; group lengths, meta and trailing padding left out), to compare
    /// instances that travelled through peers free to re-encode them. Values are read into memory.
    /// </summary>
    public static byte[] Normalised(string path)
    {
        using var output = new MemoryStream();
        var dataset = MiniGptMed.Dicom.IO.DicomFile.Open(path, new MiniGptMed.Dicom.IO.DicomReaderOptions { LargeValueThreshold = int.MaxValue }).Dataset.Clone();
        // PS3.5 7.6: Data Set Trailing Padding (FFFC,FFFC) has no meaning, and DCMTK drops it when it re-encodes.
        dataset.RemoveAll(e => e.Tag.Group == 0x0002 || e.Tag == new MiniGptMed.Dicom.Data.DicomTag(0xFFFC, 0xFFFC));
        MiniGptMed.Dicom.IO.DicomDatasetWriter.Write(output, dataset, MiniGptMed.Dicom.IO.DicomTransferSyntax.ImplicitVRLittleEndian);
        return output.ToArray();
    }

    /// <summary>The bytes of a Part 10 file's data set (everything after the File Meta Information).</summary>
    public static byte[] DataSetBytes(string path)
    {
        var source = Part10Source.Probe(path);
        var all = File.ReadAllBytes(path);
        return all[(int)source.DataSetOffset..];
    }
}
