using System.Net;
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

/// <summary>The bytes of Part 10 files in comparable forms, for instances that travelled through peers (DCMTK, Orthanc).</summary>
internal static class Part10Bytes
{
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
