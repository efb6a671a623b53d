using System.Net;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.DicomNode.Cli;

namespace MiniGptMed.DicomNode.Tests.Cli;

#pragma warning disable CA1001 // The listener and the store are disposed by IAsyncLifetime.DisposeAsync.
public sealed class NetworkCommandTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private static readonly string Corpus = TestPaths.PydicomTestFiles;
    private readonly string _root = Directory.CreateTempSubdirectory("minigptmed-cli-").FullName;
    private DicomListener _listener = null!;
    private FileSystemStoreService _store = null!;

    public Task InitializeAsync()
    {
        var store = _store = new FileSystemStoreService(new FileSystemStoreOptions { RootDirectory = _root, MinimumFreeBytes = 0 });
        _listener = new DicomListener(
            new DicomListenerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) },
            new KnownSourcesAssociationPolicy(() => AccessRules.LoopbackOnly("NODE")),
            StorageNegotiation.CreateScpNegotiator(),
            new DimseServiceHandlerFactory(new VerificationService(), store));
        _listener.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _listener.DisposeAsync();
        _store.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private string Port => _listener.LocalEndPoint.Port.ToString();

    [Fact]
    public async Task Echo_ToAListeningAe_PrintsSuccessAndExitsZero()
    {
        var (code, stdout, _) = await RunAsync("echo", "127.0.0.1", Port, "--aec", "NODE");
        Assert.Equal(0, code);
        Assert.Contains("Success (0000)", stdout);
    }

    [Fact]
    public async Task Echo_ToAnUnknownAe_ReportsTheRejectionAndExitsOne()
    {
        var (code, _, stderr) = await RunAsync("echo", "127.0.0.1", Port, "--aec", "OTHER");
        Assert.Equal(1, code);
        Assert.Contains("called AE title not recognized", stderr);
    }

    [Fact]
    public async Task Send_AFolderInParallel_SummarisesStatuses()
    {
        var folder = Directory.CreateTempSubdirectory("minigptmed-send-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "sub"));
            File.Copy(Path.Combine(Corpus, "CT_small.dcm"), Path.Combine(folder, "CT_small.dcm"));
            File.Copy(Path.Combine(Corpus, "MR_small.dcm"), Path.Combine(folder, "sub", "MR_small.dcm"));
            File.WriteAllText(Path.Combine(folder, "notes.txt"), "not DICOM");
            var (code, stdout, _) = await RunAsync("send", "127.0.0.1", Port, folder, "--aec", "NODE", "--parallel", "2");
            Assert.Equal(0, code); // a non-DICOM file in a folder is skipped and reported, as storescu +sd does
            Assert.Contains("2  Success (0000)", stdout);
            Assert.Contains("1  skipped", stdout);
            Assert.Equal(2, Directory.GetFiles(_root, "*.dcm", SearchOption.AllDirectories).Length);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Send_WithABadOption_IsAUsageError()
    {
        var (code, stdout, stderr) = await RunAsync("send", "127.0.0.1", Port, "x", "--parallel", "0");
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("--parallel must be an integer 1..64, not '0'.", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string verb, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync([verb, .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
