using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.DicomNode.Audit;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Export;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Tests.Assembly;
using MiniGptMed.DicomNode.Tests.Database;

namespace MiniGptMed.DicomNode.Tests.Export;

/// <summary>
/// The export job against DCMTK storescp (a real peer, started by the test on a free port) through the real queue
/// on SQLite: delivery, a destination that comes up late, a refusal dead-lettered then retried after the fix, and
/// the folder destination.
/// </summary>
public sealed class ExportJobHandlerTests : IAsyncLifetime
{
    private const string Study = "1.2.826.0.1.3680043.10.543.7";

    private static readonly string Corpus = TestPaths.PydicomTestFiles;

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly string _data = Directory.CreateTempSubdirectory("minigptmed-export-").FullName;
    private readonly List<AuditEvent> _audit = [];
    // Opened in InitializeAsync, closed in DisposeAsync (xunit's async lifetime).
    private readonly List<NodeDatabase> _opened = [];

    private NodeDatabase Database => _opened[0];

    public async Task InitializeAsync()
    {
        _opened.Add(new NodeDatabase(new DatabaseOptions { Provider = "Sqlite" }, _data, new JobOptions(), _clock, NullLoggerFactory.Instance, null));
        await Database.StartAsync();

        // A result set: a CT image and an SR, as the analysis leaves them in results/<study>/.
        var folder = ResultFolders.For(_data, Study);
        Directory.CreateDirectory(folder);
        foreach (var name in new[] { "CT_small.dcm", "reportsi.dcm" })
        {
            var source = Part10Source.Probe(Path.Combine(Corpus, name));
            File.Copy(source.Path, Path.Combine(folder, source.SopInstanceUid + ".dcm"));
        }
    }

    public async Task DisposeAsync()
    {
        await Database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    private List<string> ResultUids() =>
        ResultFolders.Files(ResultFolders.For(_data, Study)).Select(f => Part10Source.Probe(f).SopInstanceUid).Order(StringComparer.Ordinal).ToList();

    private static DestinationOptions Pacs(int port) => new()
    {
        Name = "pacs", AeTitle = "STORESCP", Host = "127.0.0.1", Port = port,
        AttemptTimeoutSeconds = 10, Retries = 20, RetryDelayMilliseconds = 100, BreakAfterFailures = 50, BreakSeconds = 1,
    };

    private ExportJobHandler Handler(DestinationOptions destination, IStoreClientFactory? clients = null) => new(
        new StaticMonitor<ExportOptions>(new ExportOptions { Destinations = [destination] }),
        new StaticMonitor<StorageOptions>(new StorageOptions { DataDirectory = _data }),
        clients ?? new DicomStoreClientFactory(NullLoggerFactory.Instance),
        e => { lock (_audit) { _audit.Add(e); } },
        TimeProvider.System,
        NullLogger<ExportJobHandler>.Instance);

    private async Task<long> EnqueueAsync(string destination) =>
        (await Database.Jobs.EnqueueAsync(JobRequest.Create(JobKinds.Export, $"export:{Study}:{destination}", new ExportPayload(Study, destination), JobJsonContext.Default.ExportPayload))).Id;

    /// <summary>What <see cref="JobWorker"/> does with one claimed job: run the handler and record the outcome.</summary>
    private async Task<JobState?> RunOnceAsync(ExportJobHandler handler)
    {
        var job = Assert.Single(await Database.Jobs.ClaimAsync("test", [JobKinds.Export], 1, TimeSpan.FromMinutes(5)));
        try
        {
            await handler.HandleAsync(job, CancellationToken.None);
            await Database.Jobs.CompleteAsync(job.Id, "test");
            return JobState.Succeeded;
        }
        catch (Exception ex)
        {
            return await Database.Jobs.FailAsync(job.Id, "test", ex.Message, permanent: ex is PermanentJobFailureException);
        }
    }

    [Fact]
    public void TheSendingOrder_IsTheReportFirst_ThenPresentationStates_ThenImages()
    {
        var image = Part10Source.Probe(Path.Combine(Corpus, "CT_small.dcm"));
        var report = Part10Source.Probe(Path.Combine(Corpus, "reportsi.dcm"));
        // File names decide nothing: a presentation state named to sort first, an image named to sort before the report.
        var state = image with { Path = "/results/PR_9.dcm", SopClassUid = "1.2.840.10008.5.1.4.1.1.11.1" };
        var capture = image with { Path = "/results/A_SC.dcm", SopClassUid = "1.2.840.10008.5.1.4.1.1.7.4" };

        var order = ExportJobHandler.InSendingOrder([capture, state, image, report]);

        Assert.Equal([report, state, capture, image], order);
    }

    [Fact]
    public async Task Export_ToStorescp_DeliversEveryResultObject_AndAuditsTheTransfer()
    {
        var port = Dcmtk.FreePort();
        await using var scp = await StoreScp.StartAsync(port, Directory.CreateDirectory(Path.Combine(_data, "scp")).FullName);
        await EnqueueAsync("pacs");

        Assert.Equal(JobState.Succeeded, await RunOnceAsync(Handler(Pacs(port))));

        Assert.Equal(ResultUids(), scp.Stored());
        var audit = Assert.Single(_audit);
        Assert.Equal(AuditCode.InstancesTransferred, audit.EventId);
        Assert.Equal(AuditOutcome.Success, audit.Outcome);
    }

    [Fact]
    public async Task ADestinationThatIsDown_IsRetried_AndReceivesEverythingWhenItComesUp()
    {
        var port = Dcmtk.FreePort();
        var clients = new SignallingFactory(new DicomStoreClientFactory(NullLoggerFactory.Instance));
        await EnqueueAsync("pacs");

        // Nothing listens yet: the first association fails; storescp starts once it has, and a retry delivers.
        var run = RunOnceAsync(Handler(Pacs(port), clients));
        await clients.FirstFailure.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(run.IsCompleted);
        await using var scp = await StoreScp.StartAsync(port, Directory.CreateDirectory(Path.Combine(_data, "scp")).FullName);

        Assert.Equal(JobState.Succeeded, await run.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.True(clients.Attempts >= 2);
        Assert.Equal(ResultUids(), scp.Stored());
    }

    [Fact]
    public async Task ARefusedObject_DeadLettersTheJobNamingTheRefusal_AndARetryAfterTheFixDelivers()
    {
        // storescp that accepts CT images only: the SR's SOP class gets no presentation context.
        var config = Path.Combine(_data, "ct-only.cfg");
        await File.WriteAllTextAsync(config, """
            [[TransferSyntaxes]]
            [Uncompressed]
            TransferSyntax1 = LocalEndianExplicit
            TransferSyntax2 = LittleEndianImplicit

            [[PresentationContexts]]
            [CtOnly]
            PresentationContext1 = CTImageStorage\Uncompressed

            [[Profiles]]
            [Default]
            PresentationContexts = CtOnly
            """);
        var port = Dcmtk.FreePort();
        var id = await EnqueueAsync("pacs");
        var handler = Handler(Pacs(port));
        await using (var refusing = await StoreScp.StartAsync(port, Directory.CreateDirectory(Path.Combine(_data, "scp1")).FullName, config))
        {
            Assert.Equal(JobState.DeadLetter, await RunOnceAsync(handler));
            Assert.Single(refusing.Stored());
        }

        var dead = (await Database.Jobs.GetAsync(id))!;
        Assert.Equal(1, dead.Attempt);
        Assert.Contains("pacs refused 1 of 2 objects", dead.Errors.Single().Message, StringComparison.Ordinal);
        Assert.Contains("accepted no context for 1.2.840.10008.5.1.4.1.1.88", dead.Errors.Single().Message, StringComparison.Ordinal);
        Assert.Equal(AuditOutcome.MinorFailure, Assert.Single(_audit).Outcome);

        // The administrator fixes the destination and retries the job (jobs retry): delivered.
        await using var fixedScp = await StoreScp.StartAsync(port, Directory.CreateDirectory(Path.Combine(_data, "scp2")).FullName);
        Assert.True(await Database.Jobs.RetryAsync(id));
        Assert.Equal(JobState.Succeeded, await RunOnceAsync(handler));
        Assert.Equal(ResultUids(), fixedScp.Stored());
    }

    [Fact]
    public async Task TheFolderDestination_WritesResultsStudyAtomically_AndAgainReplacesThem()
    {
        var root = Path.Combine(_data, "share");
        var destination = new DestinationOptions { Name = "share", Type = DestinationType.Folder, Path = root };
        await EnqueueAsync("share");
        Assert.Equal(JobState.Succeeded, await RunOnceAsync(Handler(destination)));

        var target = Path.Combine(root, "results", Study);
        var sources = ResultFolders.Files(ResultFolders.For(_data, Study));
        Assert.Equal(sources.Select(Path.GetFileName), Directory.GetFiles(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var source in sources)
        {
            Assert.Equal(await File.ReadAllBytesAsync(source), await File.ReadAllBytesAsync(Path.Combine(target, Path.GetFileName(source))));
        }

        // Only the finished folder is visible: no temporary folder stays beside it.
        Assert.Equal(["results"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
        Assert.Equal([Study], Directory.GetFileSystemEntries(Path.Combine(root, "results")).Select(Path.GetFileName));

        // Copied again (a job run twice): the same files, replaced in place.
        Assert.Equal(2, FolderExporter.Copy(sources, target));
        Assert.Equal(2, Directory.GetFiles(target).Length);
    }

    [Fact]
    public void AFolderCopyThatFails_LeavesNoTargetAndNoTemporaryFolder()
    {
        var root = Path.Combine(_data, "share");
        var target = Path.Combine(root, "results", Study);
        var sources = ResultFolders.Files(ResultFolders.For(_data, Study)).Append(Path.Combine(_data, "missing.dcm")).ToList();
        Assert.Throws<FileNotFoundException>(() => FolderExporter.Copy(sources, target));
        Assert.False(Directory.Exists(target));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(root, "results")));
    }

    [Fact]
    public async Task AnUnknownDestination_DeadLettersTheJob()
    {
        await EnqueueAsync("nowhere");
        Assert.Equal(JobState.DeadLetter, await RunOnceAsync(Handler(Pacs(Dcmtk.FreePort()))));
    }

    /// <summary>Real clients, with a signal when the first association fails (the test then brings the destination up).</summary>
    private sealed class SignallingFactory(IStoreClientFactory inner) : IStoreClientFactory
    {
        private int _attempts;

        public TaskCompletionSource FirstFailure { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Attempts => Volatile.Read(ref _attempts);

        public IDicomStoreClient Create(DestinationOptions destination, string callingAeTitle) => new Client(this, inner.Create(destination, callingAeTitle));

        private sealed class Client(SignallingFactory owner, IDicomStoreClient inner) : IDicomStoreClient
        {
            public async Task<IReadOnlyList<StoreOutcome>> StoreAsync(IReadOnlyList<Part10Source> files, IProgress<StoreOutcome>? progress = null, CancellationToken cancellationToken = default)
            {
                Interlocked.Increment(ref owner._attempts);
                try
                {
                    return await inner.StoreAsync(files, progress, cancellationToken);
                }
                catch (StoreAssociationException)
                {
                    owner.FirstFailure.TrySetResult();
                    throw;
                }
            }
        }
    }
}
