using Microsoft.Data.Sqlite;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.DicomNode.Assembly;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Export;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Tests.Assembly;
using MiniGptMed.DicomNode.Tests.Database;
using MiniGptMed.DicomNode.Tests.Export;

namespace MiniGptMed.DicomNode.Tests.Pipeline;

/// <summary>
/// The stages handing work on through the database only: catalogue rows -> assembly -> the analyse job -> one export
/// job per destination -> storescp. The analysis itself is a stand-in that seals corpus objects into the results
/// folder (the model-backed path plugs in behind <see cref="IGroupAnalyser"/>); everything else is the real code.
/// </summary>
public sealed class PipelineWiringTests : IAsyncLifetime
{
    private const string Study = "1.2.826.0.1.3680043.10.543.9";
    private static readonly string Corpus = TestPaths.PydicomTestFiles;

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly string _data = Directory.CreateTempSubdirectory("minigptmed-pipeline-").FullName;
    private readonly List<NodeDatabase> _opened = [];

    private NodeDatabase Database => _opened[0];

    public async Task InitializeAsync()
    {
        _opened.Add(new NodeDatabase(new DatabaseOptions { Provider = "Sqlite" }, _data, new JobOptions(), _clock, NullLoggerFactory.Instance, null));
        await Database.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    private async Task<Job> ClaimOneAsync(string kind) =>
        Assert.Single(await Database.Jobs.ClaimAsync("test", [kind], 1, TimeSpan.FromMinutes(5)));

    [Fact]
    public async Task AStableChestCt_IsAnalysedOnce_ItsResultsReachEveryDestination_AndEachStageLogsOneLine()
    {
        var assemblyLog = new CapturingLogger<AssemblyService>();
        var analysisLog = new CapturingLogger<AnalyseJobHandler>();
        var exportLog = new CapturingLogger<ExportJobHandler>();
        var port = Dcmtk.FreePort();
        await using var scp = await StoreScp.StartAsync(port, Directory.CreateDirectory(Path.Combine(_data, "scp")).FullName);
        var exportOptions = new ExportOptions
        {
            Destinations =
            [
                new() { Name = "pacs", AeTitle = "STORESCP", Host = "127.0.0.1", Port = port, AttemptTimeoutSeconds = 10, RetryDelayMilliseconds = 100 },
                new() { Name = "share", Type = DestinationType.Folder, Path = Path.Combine(_data, "share") },
            ],
        };
        var storage = new StaticMonitor<StorageOptions>(new StorageOptions { DataDirectory = _data });
        var rules = new StaticMonitor<AnalysisRulesOptions>(new AnalysisRulesOptions());
        var assembly = new AssemblyService(Database.Catalogue, Database.Jobs, new StaticMonitor<AssemblyOptions>(new AssemblyOptions { StableSeconds = 2 }),
            rules, _clock, assemblyLog);
        var analyser = new CopyingAnalyser();
        var analyse = new AnalyseJobHandler(Database.Catalogue, Database.Jobs, analyser, rules, new StaticMonitor<ExportOptions>(exportOptions), storage,
            analysisLog);
        var export = new ExportJobHandler(new StaticMonitor<ExportOptions>(exportOptions), storage, new DicomStoreClientFactory(NullLoggerFactory.Instance),
            _ => { }, TimeProvider.System, exportLog);

        for (var i = 1; i <= 3; i++)
        {
            await Database.Catalogue.RecordAsync(TestInstances.Ct(Study, Study + ".1", i, _clock.Now));
        }

        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(1, await assembly.RunOnceAsync());

        var job = await ClaimOneAsync(JobKinds.Analyse);
        await analyse.HandleAsync(job, CancellationToken.None);
        // A second run of the same job (its worker died before recording success) changes nothing.
        await analyse.HandleAsync(job, CancellationToken.None);
        await Database.Jobs.CompleteAsync(job.Id, "test");
        Assert.Equal(1, analyser.Runs);
        Assert.Equal("chest-ct", analyser.LastRule);
        Assert.Equal(3, analyser.LastInstances);
        Assert.Equal(StudyState.Analysed, (await Database.Catalogue.StudyAsync("NODE", Study))!.State);

        var exports = await Database.Jobs.ListAsync(new JobQuery { Kinds = [JobKinds.Export] });
        Assert.Equal(2, exports.Count);
        for (var i = 0; i < 2; i++)
        {
            var exportJob = await ClaimOneAsync(JobKinds.Export);
            await export.HandleAsync(exportJob, CancellationToken.None);
            await Database.Jobs.CompleteAsync(exportJob.Id, "test");
        }

        var results = ResultFolders.Files(ResultFolders.For(_data, Study)).Select(f => Part10Source.Probe(f).SopInstanceUid).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(results, scp.Stored());
        Assert.Equal(results.Count, Directory.GetFiles(ResultFolders.For(Path.Combine(_data, "share"), Study)).Length);
        Assert.Equal(0, await assembly.RunOnceAsync());

        // One Information line per study per stage (docs/pipeline.md "Logs"): received from whom, stable, analysed with
        // its tasks, findings and time, exported to each destination. The catalogue holds no patient data to leak.
        string Line(IEnumerable<(LogLevel Level, int EventId, string Message)> lines, int eventId) =>
            Assert.Single(lines, l => l.EventId == eventId && l.Level == LogLevel.Information).Message;
        Assert.Equal($"Assembly: NODE group {Study} received 3 instances from CT1 (3)", Line(assemblyLog.Lines, 5606));
        Assert.Equal($"Assembly: NODE group {Study} stable (Stable): 3 instances", Line(assemblyLog.Lines, 5600));
        Assert.Matches($@"^Analysis: NODE group {Regex.Escape(Study)} analysed by rule chest-ct in \d+ ms: 0 images, tasks detection \(nodule\); no findings; 2 result objects$",
            Line(analysisLog.Lines, 5640));
        var exported = exportLog.Lines.Where(l => l.EventId == 5660 && l.Level == LogLevel.Information).Select(l => l.Message).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([$"Export: study {Study} to pacs: 2 objects delivered", $"Export: study {Study} to share: 2 objects delivered"], exported);
    }

    [Fact]
    public async Task AnAnalyseJobClaimedBeforeAssemblyMovesItsGroup_StillAnalysesIt_AndTheGroupIsNotLeftAnalysing()
    {
        // Assembly queues the job, then moves the group stable -> analysing. A worker woken by the enqueue (or a node
        // killed between the two) runs the job while the group is still stable: it used to return "nothing to do" and
        // succeed, and assembly then moved the group to analysing for good, with no analysis and no export.
        var storage = new StaticMonitor<StorageOptions>(new StorageOptions { DataDirectory = _data });
        var rules = new StaticMonitor<AnalysisRulesOptions>(new AnalysisRulesOptions());
        var exportOptions = new StaticMonitor<ExportOptions>(new ExportOptions());
        var assembly = new AssemblyService(Database.Catalogue, Database.Jobs, new StaticMonitor<AssemblyOptions>(new AssemblyOptions { StableSeconds = 2 }),
            rules, _clock, NullLogger<AssemblyService>.Instance);
        var analyser = new CopyingAnalyser();
        var analyse = new AnalyseJobHandler(Database.Catalogue, Database.Jobs, analyser, rules, exportOptions, storage, NullLogger<AnalyseJobHandler>.Instance);
        for (var i = 1; i <= 3; i++)
        {
            await Database.Catalogue.RecordAsync(TestInstances.Ct(Study, Study + ".1", i, _clock.Now));
        }

        _clock.Advance(TimeSpan.FromSeconds(3));
        await Database.Catalogue.TransitionStudyAsync("NODE", Study, StudyState.Receiving, StudyState.Stable);
        var study = (await Database.Catalogue.StudyAsync("NODE", Study))!;
        await Database.Jobs.EnqueueAsync(JobRequest.Create(JobKinds.Analyse, AssemblyService.IdempotencyKey(study),
            new AnalysePayload("NODE", Study, Study), JobJsonContext.Default.AnalysePayload));

        var job = await ClaimOneAsync(JobKinds.Analyse);
        await analyse.HandleAsync(job, CancellationToken.None);
        await Database.Jobs.CompleteAsync(job.Id, "test");
        Assert.Equal(1, analyser.Runs);
        Assert.Equal(StudyState.Analysed, (await Database.Catalogue.StudyAsync("NODE", Study))!.State);
        Assert.Single(await Database.Jobs.ListAsync(new JobQuery { Kinds = [JobKinds.Export] }));

        // Assembly's own pass (the move it had still to make) changes nothing and queues nothing.
        Assert.Equal(0, await assembly.RunOnceAsync());
        Assert.Equal(StudyState.Analysed, (await Database.Catalogue.StudyAsync("NODE", Study))!.State);
        Assert.Equal(1, analyser.Runs);
    }

    [Fact]
    public async Task AReceivedCt_IsAnalysedByTheSmallModel_AndItsSrScAndGspsReachStorescp()
    {
        // A stored instance as reception leaves it: instances/<study>/<series>/<sop>.dcm and its catalogue row.
        var source = Part10Source.Probe(Path.Combine(Corpus, "CT_small.dcm"));
        var file = Dicom.IO.DicomFile.Open(source.Path).Dataset;
        var study = file.GetString(Dicom.Data.DicomTags.StudyInstanceUID)!;
        var series = file.GetString(Dicom.Data.DicomTags.SeriesInstanceUID)!;
        var relative = Path.Combine("instances", study, series, source.SopInstanceUid + ".dcm");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_data, relative))!);
        File.Copy(source.Path, Path.Combine(_data, relative));
        await Database.Catalogue.RecordAsync(new InstanceRecord
        {
            SopClassUid = source.SopClassUid, SopInstanceUid = source.SopInstanceUid, StudyInstanceUid = study, SeriesInstanceUid = series,
            Modality = "CT", CallingAe = "CT1", CalledAe = "NODE", ReceivedAt = _clock.Now, Path = relative, Size = new FileInfo(source.Path).Length,
        });

        var port = Dcmtk.FreePort();
        await using var scp = await StoreScp.StartAsync(port, Directory.CreateDirectory(Path.Combine(_data, "scp")).FullName);
        var exportOptions = new StaticMonitor<ExportOptions>(new ExportOptions
        {
            Destinations = [new() { Name = "pacs", AeTitle = "STORESCP", Host = "127.0.0.1", Port = port, AttemptTimeoutSeconds = 30, RetryDelayMilliseconds = 100 }],
        });
        var storage = new StaticMonitor<StorageOptions>(new StorageOptions { DataDirectory = _data });
        var rules = new StaticMonitor<AnalysisRulesOptions>(new AnalysisRulesOptions
        {
            Rules = [new() { Name = "ct", Modalities = ["CT"], Tasks = [new() { Task = "detection", Prompt = "nodule" }], Window = "lung", Slices = "all", MaxImages = 1 }],
        });
        var assembly = new AssemblyService(Database.Catalogue, Database.Jobs, new StaticMonitor<AssemblyOptions>(new AssemblyOptions { StableSeconds = 1 }),
            rules, _clock, NullLogger<AssemblyService>.Instance);
        using var analyser = new ModelGroupAnalyser(TestPaths.SmallModel,
            new Inference.Runtime.InferenceOptions { ExecutionProvider = Inference.Runtime.ExecutionProviderKind.Cpu }, new DicomNode.Results.ResultsOptions(), storage, _clock,
            NullLogger.Instance);
        var analyse = new AnalyseJobHandler(Database.Catalogue, Database.Jobs, analyser, rules, exportOptions, storage, NullLogger<AnalyseJobHandler>.Instance);
        var export = new ExportJobHandler(exportOptions, storage, new DicomStoreClientFactory(NullLoggerFactory.Instance), _ => { }, TimeProvider.System,
            NullLogger<ExportJobHandler>.Instance);

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await assembly.RunOnceAsync());
        var job = await ClaimOneAsync(JobKinds.Analyse);
        await analyse.HandleAsync(job, CancellationToken.None);
        await Database.Jobs.CompleteAsync(job.Id, "test");
        Assert.Equal(StudyState.Analysed, (await Database.Catalogue.StudyAsync("NODE", study))!.State);

        var exportJob = await ClaimOneAsync(JobKinds.Export);
        await export.HandleAsync(exportJob, CancellationToken.None);

        // PS3.4 B.5: Enhanced/Comprehensive SR (88.x), Multi-frame True Color SC (7.4), Grayscale Softcopy Presentation State (11.1).
        var received = Directory.GetFiles(scp.Output).Select(f => Part10Source.Probe(f).SopClassUid).ToList();
        Assert.Contains(received, c => c.StartsWith("1.2.840.10008.5.1.4.1.1.88.", StringComparison.Ordinal));
        Assert.Contains("1.2.840.10008.5.1.4.1.1.7.4", received);
        Assert.Contains("1.2.840.10008.5.1.4.1.1.11.1", received);
    }

    [Fact]
    public async Task ALateInstance_UnderReanalyse_GivesANewSrNamingTheEarlierOneAsPredecessor()
    {
        var original = Dicom.IO.DicomFile.Open(Path.Combine(Corpus, "CT_small.dcm"));
        var study = original.Dataset.GetString(Dicom.Data.DicomTags.StudyInstanceUID)!;
        var series = original.Dataset.GetString(Dicom.Data.DicomTags.SeriesInstanceUID)!;

        async Task StoreAsync(string sopUid)
        {
            // The same CT slice under another SOP Instance UID: a second instance of the series.
            var copy = Dicom.IO.DicomFile.Open(original.Path ?? Path.Combine(Corpus, "CT_small.dcm"));
            copy.Dataset.AddOrUpdate(Dicom.Data.DicomTags.SOPInstanceUID, Dicom.Data.DicomVR.UI, sopUid);
            copy.FileMetaInformation.AddOrUpdate(Dicom.Data.DicomTags.MediaStorageSOPInstanceUID, Dicom.Data.DicomVR.UI, sopUid);
            var relative = Path.Combine("instances", study, series, sopUid + ".dcm");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_data, relative))!);
            copy.Save(Path.Combine(_data, relative));
            await Database.Catalogue.RecordAsync(new InstanceRecord
            {
                SopClassUid = Dicom.Data.DicomUid.CTImageStorage.Value, SopInstanceUid = sopUid, StudyInstanceUid = study, SeriesInstanceUid = series,
                Modality = "CT", CallingAe = "CT1", CalledAe = "NODE", ReceivedAt = _clock.Now, Path = relative, Size = new FileInfo(Path.Combine(_data, relative)).Length,
            });
        }

        var storage = new StaticMonitor<StorageOptions>(new StorageOptions { DataDirectory = _data });
        var rules = new StaticMonitor<AnalysisRulesOptions>(new AnalysisRulesOptions
        {
            Rules = [new() { Name = "ct", Modalities = ["CT"], Tasks = [new() { Task = "detection", Prompt = "nodule" }], Window = "lung", Slices = "all", MaxImages = 4 }],
        });
        var exportOptions = new StaticMonitor<ExportOptions>(new ExportOptions());
        var assembly = new AssemblyService(Database.Catalogue, Database.Jobs,
            new StaticMonitor<AssemblyOptions>(new AssemblyOptions { StableSeconds = 1, LateArrivals = LateArrivalPolicy.Reanalyse }), rules, _clock, NullLogger<AssemblyService>.Instance);
        using var analyser = new ModelGroupAnalyser(TestPaths.SmallModel,
            new Inference.Runtime.InferenceOptions { ExecutionProvider = Inference.Runtime.ExecutionProviderKind.Cpu }, new DicomNode.Results.ResultsOptions(), storage, _clock,
            NullLogger.Instance);
        var analyse = new AnalyseJobHandler(Database.Catalogue, Database.Jobs, analyser, rules, exportOptions, storage, NullLogger<AnalyseJobHandler>.Instance);

        async Task<string> AnalyseOnceAsync()
        {
            _clock.Advance(TimeSpan.FromSeconds(2));
            Assert.Equal(1, await assembly.RunOnceAsync());
            var job = await ClaimOneAsync(JobKinds.Analyse);
            await analyse.HandleAsync(job, CancellationToken.None);
            await Database.Jobs.CompleteAsync(job.Id, "test");
            return Directory.GetFiles(ResultFolders.For(_data, study), "SR_*.dcm").OrderBy(File.GetLastWriteTimeUtc).Last();
        }

        await StoreAsync("1.2.826.0.1.3680043.10.543.77.1");
        var firstSr = Dicom.IO.DicomFile.Open(await AnalyseOnceAsync()).Dataset;
        Assert.Null(firstSr.GetSequence(Dicom.Data.DicomTags.PredecessorDocumentsSequence));

        _clock.Advance(TimeSpan.FromSeconds(1));
        await StoreAsync("1.2.826.0.1.3680043.10.543.77.2");
        var secondSr = Dicom.IO.DicomFile.Open(await AnalyseOnceAsync()).Dataset;

        // PS3.3 C.17.2.3: Predecessor Documents Sequence > Referenced Series Sequence > Referenced SOP Sequence names the first SR.
        var firstUid = firstSr.GetString(Dicom.Data.DicomTags.SOPInstanceUID);
        Assert.NotEqual(firstUid, secondSr.GetString(Dicom.Data.DicomTags.SOPInstanceUID));
        var predecessor = Assert.Single(secondSr.GetSequence(Dicom.Data.DicomTags.PredecessorDocumentsSequence)!.Items);
        var referencedSeries = Assert.Single(predecessor.GetSequence(Dicom.Data.DicomTags.ReferencedSeriesSequence)!.Items);
        var referencedSop = Assert.Single(referencedSeries.GetSequence(Dicom.Data.DicomTags.ReferencedSOPSequence)!.Items);
        Assert.Equal(firstUid, referencedSop.GetString(Dicom.Data.DicomTags.ReferencedSOPInstanceUID));
    }

    /// <summary>Stands in for the model-backed analysis: seals two corpus objects (an SR and an image) into the results folder.</summary>
    private sealed class CopyingAnalyser : IGroupAnalyser
    {
        public int Runs { get; private set; }

        public string? LastRule { get; private set; }

        public int LastInstances { get; private set; }

        public Task<GroupAnalysisResult> AnalyseAsync(GroupAnalysisRequest request, CancellationToken cancellationToken)
        {
            Runs++;
            LastRule = request.Rule.Name;
            LastInstances = request.Instances.Count;
            Directory.CreateDirectory(request.ResultsFolder);
            var files = new List<string>();
            foreach (var name in new[] { "reportsi.dcm", "CT_small.dcm" })
            {
                var source = Part10Source.Probe(Path.Combine(Corpus, name));
                var target = Path.Combine(request.ResultsFolder, source.SopInstanceUid + ".dcm");
                File.Copy(source.Path, target, overwrite: true);
                files.Add(target);
            }

            return Task.FromResult(new GroupAnalysisResult(files, "no findings"));
        }
    }
}
