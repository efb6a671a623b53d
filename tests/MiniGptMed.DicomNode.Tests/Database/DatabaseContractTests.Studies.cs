using Microsoft.Extensions.Logging;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.DicomNode.Assembly;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Export;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Tests.Assembly;

namespace MiniGptMed.DicomNode.Tests.Database;

/// <summary>
/// The decisions on a group (migration 0002): the findings summary and what the analysis covered, and instances that
/// arrive while the analysis runs, under each late-arrival policy, through the real assembly and analyse job handler.
/// </summary>
public abstract partial class DatabaseContractTests
{
    private const string LateStudy = "1.2.826.0.1.3680043.10.77";

    [Fact]
    public async Task RecordDecision_KeepsTheFindingsAndWhatItCovered_AndListsShowThem()
    {
        var (database, received) = await AnalysingGroupAsync();

        Assert.False(await database.Catalogue.RecordDecisionAsync("NODE", LateStudy, StudyState.Stable, StudyState.Analysed, received, "x"));
        Assert.True(await database.Catalogue.RecordDecisionAsync("NODE", LateStudy, StudyState.Analysing, StudyState.Analysed, received, "2 findings: nodule x2"));

        var study = (await database.Catalogue.StudyAsync("NODE", LateStudy))!;
        Assert.Equal((StudyState.Analysed, "2 findings: nodule x2", received), (study.State, study.Findings, study.CoveredThrough));
        Assert.False(study.HasLateArrivals);
        Assert.Equal("2 findings: nodule x2", Assert.Single(await database.Catalogue.StudiesAsync(StudyState.Analysed)).Findings);
    }

    [Fact]
    public async Task CoverLateArrivals_MovesTheMarkOnce()
    {
        var (database, first) = await AnalysingGroupAsync();
        await database.Catalogue.RecordDecisionAsync("NODE", LateStudy, StudyState.Analysing, StudyState.Analysed, first, FindingsSummary.None);
        Clock.Advance(TimeSpan.FromSeconds(5));
        await database.Catalogue.RecordAsync(TestInstances.Ct(LateStudy, LateStudy + ".1", 2, Clock.Now));
        Assert.True((await database.Catalogue.StudyAsync("NODE", LateStudy))!.HasLateArrivals);

        Assert.True(await database.Catalogue.CoverLateArrivalsAsync("NODE", LateStudy, StudyState.Analysed, Clock.Now));
        Assert.False(await database.Catalogue.CoverLateArrivalsAsync("NODE", LateStudy, StudyState.Analysed, Clock.Now));
        var study = (await database.Catalogue.StudyAsync("NODE", LateStudy))!;
        Assert.False(study.HasLateArrivals);
        // Acknowledging late arrivals is not a new analysis: the state and its findings stay.
        Assert.Equal((StudyState.Analysed, FindingsSummary.None), (study.State, study.Findings));
    }

    [Fact]
    public async Task AnInstanceArrivingWhileTheAnalysisRuns_UnderReanalyse_IsAnalysedAfterwards_NamingTheEarlierResults()
    {
        var (database, assembly, analyse, analyser, _) = await LateArrivalStagesAsync(LateArrivalPolicy.Reanalyse);

        await RunAnalyseJobAsync(database, analyse);
        Assert.Equal(StudyState.Analysed, (await database.Catalogue.StudyAsync("NODE", LateStudy))!.State);

        // Quiet again: the instance that landed during the first analysis leads to a second one, over all four.
        Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(1, await assembly.RunOnceAsync());
        await RunAnalyseJobAsync(database, analyse);

        Assert.Equal(2, analyser.Requests.Count);
        Assert.Equal([3, 4], analyser.Requests.Select(r => r.Instances.Count));
        // The first run's SR is what the second names in Predecessor Documents Sequence (ModelGroupAnalyser).
        Assert.Equal([analyser.Written[0]], analyser.Requests[1].EarlierResults);
        var study = (await database.Catalogue.StudyAsync("NODE", LateStudy))!;
        Assert.Equal((StudyState.Analysed, 4, "1 finding: nodule x1"), (study.State, study.InstanceCount, study.Findings));

        // Nothing left uncovered: further passes queue nothing.
        Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, await assembly.RunOnceAsync());
        Assert.Equal(2, (await database.Jobs.ListAsync(new JobQuery { Kinds = [JobKinds.Analyse] })).Count);
    }

    [Fact]
    public async Task AnInstanceArrivingWhileTheAnalysisRuns_UnderIgnore_IsCataloguedNotAnalysed_AndLoggedOnce()
    {
        var (database, assembly, analyse, analyser, logs) = await LateArrivalStagesAsync(LateArrivalPolicy.Ignore);
        await RunAnalyseJobAsync(database, analyse);

        for (var pass = 0; pass < 3; pass++)
        {
            Clock.Advance(TimeSpan.FromSeconds(11));
            Assert.Equal(0, await assembly.RunOnceAsync());
        }

        // A node restarted (assembly's memory gone) does not report the same late instance again: the mark is a row.
        var restartedLogs = new CapturingLogger<AssemblyService>();
        Assert.Equal(0, await Assembler(database, LateArrivalPolicy.Ignore, restartedLogs).RunOnceAsync());

        Assert.Single(analyser.Requests);
        Assert.Single(await database.Jobs.ListAsync(new JobQuery { Kinds = [JobKinds.Analyse] }));
        var study = (await database.Catalogue.StudyAsync("NODE", LateStudy))!;
        Assert.Equal((StudyState.Analysed, 4), (study.State, study.InstanceCount));
        Assert.NotNull(await database.Catalogue.InstanceAsync(LateStudy + ".1.4"));
        var late = Assert.Single(logs.Lines, l => l.EventId == 5603);
        Assert.Contains(": 1 instances arrived that its last analysis did not cover; policy Ignore", late.Message, StringComparison.Ordinal);
        var received = logs.Lines.Where(l => l.EventId == 5606).Select(l => l.Message).ToList();
        Assert.Equal(2, received.Count);
        Assert.EndsWith($"group {LateStudy} received 3 instances from CT1 (3)", received[0], StringComparison.Ordinal);
        Assert.EndsWith($"group {LateStudy} received 1 instances after its last analysis from CT1 (1)", received[1], StringComparison.Ordinal);
        Assert.DoesNotContain(restartedLogs.Lines, l => l.EventId == 5603);
    }

    /// <summary>A group of one instance whose analysis runs; returns when the instance was received.</summary>
    private async Task<(NodeDatabase Database, DateTimeOffset Received)> AnalysingGroupAsync()
    {
        var database = await OpenAsync();
        var received = Clock.Now;
        await database.Catalogue.RecordAsync(TestInstances.Ct(LateStudy, LateStudy + ".1", 1, received));
        Assert.True(await database.Catalogue.TransitionStudyAsync("NODE", LateStudy, StudyState.Receiving, StudyState.Analysing));
        return (database, received);
    }

    private AssemblyService Assembler(NodeDatabase database, LateArrivalPolicy policy, ILogger<AssemblyService> logger) =>
        new(database.Catalogue, database.Jobs, new StaticMonitor<AssemblyOptions>(new AssemblyOptions { StableSeconds = 10, LateArrivals = policy }),
            new StaticMonitor<AnalysisRulesOptions>(new AnalysisRulesOptions()), Clock, logger);

    /// <summary>
    /// Three CT instances received and assembled (one analyse job queued); the analyser records a fourth instance of
    /// the study while it runs, as a C-STORE landing during the model's work would.
    /// </summary>
    private async Task<(NodeDatabase, AssemblyService, AnalyseJobHandler, ArrivingDuringAnalysis, CapturingLogger<AssemblyService>)> LateArrivalStagesAsync(
        LateArrivalPolicy policy)
    {
        var database = await OpenAsync();
        var logs = new CapturingLogger<AssemblyService>();
        var assembly = Assembler(database, policy, logs);
        var analyser = new ArrivingDuringAnalysis(database.Catalogue, () => TestInstances.Ct(LateStudy, LateStudy + ".1", 4, Clock.Now));
        var analyse = new AnalyseJobHandler(database.Catalogue, database.Jobs, analyser, new StaticMonitor<AnalysisRulesOptions>(new AnalysisRulesOptions()),
            new StaticMonitor<ExportOptions>(new ExportOptions()), new StaticMonitor<StorageOptions>(new StorageOptions { DataDirectory = DataDirectory }),
            new CapturingLogger<AnalyseJobHandler>());
        for (var i = 1; i <= 3; i++)
        {
            await database.Catalogue.RecordAsync(TestInstances.Ct(LateStudy, LateStudy + ".1", i, Clock.Now));
        }

        Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(1, await assembly.RunOnceAsync());
        return (database, assembly, analyse, analyser, logs);
    }

    private static async Task RunAnalyseJobAsync(NodeDatabase database, AnalyseJobHandler handler)
    {
        var job = Assert.Single(await database.Jobs.ClaimAsync("test", [JobKinds.Analyse], 1, TimeSpan.FromMinutes(5)));
        await handler.HandleAsync(job, CancellationToken.None);
        Assert.True(await database.Jobs.CompleteAsync(job.Id, "test"));
    }

    /// <summary>Stands in for the model (whose SR predecessor is tested in PipelineWiringTests): writes one SR-named file a run.</summary>
    private sealed class ArrivingDuringAnalysis(ICatalogue catalogue, Func<InstanceRecord> arrival) : IGroupAnalyser
    {
        public List<GroupAnalysisRequest> Requests { get; } = [];

        public List<string> Written { get; } = [];

        public async Task<GroupAnalysisResult> AnalyseAsync(GroupAnalysisRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            if (Requests.Count == 1)
            {
                await catalogue.RecordAsync(arrival(), cancellationToken);
            }

            Directory.CreateDirectory(request.ResultsFolder);
            var sr = Path.Combine(request.ResultsFolder, $"SR_{Requests.Count}.dcm");
            await File.WriteAllTextAsync(sr, "stand-in", cancellationToken);
            Written.Add(sr);
            return new GroupAnalysisResult([sr], "1 finding: nodule x1") { Images = request.Instances.Count };
        }
    }
}
