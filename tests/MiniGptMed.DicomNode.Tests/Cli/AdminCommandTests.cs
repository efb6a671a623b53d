using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Cli;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Tests.Database;

namespace MiniGptMed.DicomNode.Tests.Cli;

/// <summary>
/// <c>studies</c> and <c>jobs</c> against a database a node filled through <see cref="ICatalogue"/> and
/// <see cref="IJobQueue"/>, found by the verbs through the same <c>--config</c>/<c>--data</c> as <c>serve</c>.
/// Run against each engine by the derived classes.
/// </summary>
public abstract class AdminCommandTests : IAsyncLifetime
{
    protected const string StudyA = "1.2.826.0.1.3680043.8.498.101";

    private const string Findings = "2 findings: nodule x2";
    protected const string StudyB = "1.2.826.0.1.3680043.8.498.102";

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));

    protected string DataDirectory { get; } = Directory.CreateTempSubdirectory("minigptmed-cli-").FullName;

    protected abstract DatabaseOptions Options { get; }

    /// <summary>The options that lead the verbs to this test's database.</summary>
    protected abstract string[] Location { get; }

    protected abstract Task CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();

    public async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        await FillAsync();
    }

    public async Task DisposeAsync()
    {
        await DropDatabaseAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>
    /// Study A: 3 CT instances, analysed; exported to PACS (dead-lettered: job 2) and FOLDER (succeeded: job 3).
    /// Study B: 1 instance, still receiving, its analysis pending (job 4). Job 1 is A's analysis, succeeded.
    /// </summary>
    private async Task FillAsync()
    {
        await using var node = new NodeDatabase(Options, DataDirectory, new JobOptions(), _clock, NullLoggerFactory.Instance);
        await node.StartAsync();
        for (var i = 1; i <= 3; i++)
        {
            await node.Catalogue.RecordAsync(TestInstances.Ct(StudyA, StudyA + ".1", i, _clock.Now));
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await node.Catalogue.TransitionStudyAsync("NODE", StudyA, StudyState.Receiving, StudyState.Stable));
        await Enqueue(node, JobRequest.Create(JobKinds.Analyse, $"analyse:NODE:{StudyA}", new AnalysePayload("NODE", StudyA, StudyA), JobJsonContext.Default.AnalysePayload));
        Assert.True(await node.Catalogue.TransitionStudyAsync("NODE", StudyA, StudyState.Stable, StudyState.Analysing));
        var analyse = Assert.Single(await node.Jobs.ClaimAsync("w", [JobKinds.Analyse], 1, TimeSpan.FromMinutes(1)));
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await node.Jobs.CompleteAsync(analyse.Id, "w"));
        // As the analyse job records it: the findings summary and the last arrival the analysis covered.
        Assert.True(await node.Catalogue.RecordDecisionAsync("NODE", StudyA, StudyState.Analysing, StudyState.Analysed, _clock.Now, Findings));

        await Enqueue(node, JobRequest.Create(JobKinds.Export, $"export:{StudyA}:PACS", new ExportPayload(StudyA, "PACS"), JobJsonContext.Default.ExportPayload) with { MaxAttempts = 1 });
        await Enqueue(node, JobRequest.Create(JobKinds.Export, $"export:{StudyA}:FOLDER", new ExportPayload(StudyA, "FOLDER"), JobJsonContext.Default.ExportPayload));
        var exports = await node.Jobs.ClaimAsync("w", [JobKinds.Export], 2, TimeSpan.FromMinutes(1));
        Assert.Equal(JobState.DeadLetter, await node.Jobs.FailAsync(exports.Single(j => j.Id == 2).Id, "w", "C-STORE to PACS: status A700 out of resources"));
        Assert.True(await node.Jobs.CompleteAsync(exports.Single(j => j.Id == 3).Id, "w"));

        await node.Catalogue.RecordAsync(TestInstances.Ct(StudyB, StudyB + ".1", 1, _clock.Now));
        await Enqueue(node, JobRequest.Create(JobKinds.Analyse, $"analyse:NODE:{StudyB}", new AnalysePayload("NODE", StudyB, StudyB), JobJsonContext.Default.AnalysePayload));
    }

    private static async Task Enqueue(NodeDatabase node, JobRequest request) => Assert.True((await node.Jobs.EnqueueAsync(request)).Created);

    protected async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync([.. args, .. Location], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private async Task<JsonElement> JsonAsync(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync([.. args, "--json"]);
        Assert.True(code == 0, stderr);
        using var document = JsonDocument.Parse(stdout);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Worklist_PutsTheStatStudyFirst_FiltersByPriority_AndRefusesABadOne()
    {
        await using (var node = new NodeDatabase(Options, DataDirectory, new JobOptions(), _clock, NullLoggerFactory.Instance))
        {
            await node.StartAsync();
            await node.Triage.SaveAsync(new MiniGptMed.DicomNode.Worklist.Triage.StudyTriage
            {
                CalledAe = "NODE", GroupUid = StudyA, Version = 1, Priority = MiniGptMed.DicomNode.Worklist.Triage.TriagePriority.Stat,
                Summary = "STAT: pneumothorax 91% (rule ptx)", Rule = "ptx", Modality = "CT",
                Content = new(null, [new("pneumothorax", "36118008", "SCT", "Pneumothorax", 0.91, 1)]), DecidedAt = _clock.Now,
            });
        }

        // B arrived after A and has no triage yet: pending, after every triaged study.
        var list = await JsonAsync("worklist");
        Assert.Equal([StudyA, StudyB], list.EnumerateArray().Select(e => e.GetProperty("studyInstanceUid").GetString()));
        Assert.Equal("stat", list[0].GetProperty("priority").GetString());
        Assert.Equal("pending", list[1].GetProperty("priority").GetString());
        Assert.Equal(0.91, list[0].GetProperty("findings")[0].GetProperty("confidence").GetDouble());
        Assert.Equal([StudyA], (await JsonAsync("worklist", "--priority", "stat", "--modality", "CT")).EnumerateArray().Select(e => e.GetProperty("studyInstanceUid").GetString()));
        var (code, stdout, stderr) = await RunAsync("worklist");
        Assert.True(code == 0, stderr);
        Assert.Contains("STAT: pneumothorax 91% (rule ptx)", stdout, StringComparison.Ordinal);
        Assert.Equal(2, (await RunAsync("worklist", "--priority", "soon")).Code);
    }

    [Fact]
    public async Task JobsList_Text_ShowsEveryJobNewestFirst_AndTheCountsPerState()
    {
        var (code, stdout, stderr) = await RunAsync("jobs", "list");
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID ", lines[0], StringComparison.Ordinal);
        Assert.Equal(["4", "3", "2", "1"], lines[1..5].Select(l => l.Split(' ')[0]));
        Assert.Matches(@"^2 +export +dead_letter +1/1 .*export:[0-9.]+:PACS +C-STORE to PACS: status A700", lines[3]);
        Assert.Equal("all jobs: pending 1, running 0, succeeded 2, retrying 0, dead_letter 1, cancelled 0", lines[^1]);
    }

    [Fact]
    public async Task JobsList_StateFilterAndJson_GivesTheMatchingJobsWithPayloadAndErrors()
    {
        var jobs = await JsonAsync("jobs", "list", "--state", "dead-letter,pending");
        Assert.Equal([4L, 2L], jobs.EnumerateArray().Select(j => j.GetProperty("id").GetInt64()));
        var dead = jobs[1];
        Assert.Equal("dead_letter", dead.GetProperty("state").GetString());
        Assert.Equal("PACS", dead.GetProperty("payload").GetProperty("destination").GetString());
        Assert.Equal(1, dead.GetProperty("attempt").GetInt32());
        var error = Assert.Single(dead.GetProperty("errors").EnumerateArray());
        Assert.Contains("A700", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, jobs[0].GetProperty("finishedAt").ValueKind);
    }

    [Fact]
    public async Task JobsList_KindAndLimit_Filter()
    {
        var jobs = await JsonAsync("jobs", "list", "--kind", "export", "--limit", "1");
        Assert.Equal(3, Assert.Single(jobs.EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Theory]
    [InlineData("jobs", "list", "--state", "done")]
    [InlineData("jobs", "list", "--kind", "print")]
    [InlineData("jobs", "list", "--limit", "0")]
    [InlineData("jobs", "show", "abc")]
    [InlineData("jobs", "show", "-3")]
    [InlineData("jobs", "show")]
    [InlineData("jobs", "show", "1", "2")]
    [InlineData("jobs", "show", "1", "--state", "pending")]
    [InlineData("jobs", "retry")]
    [InlineData("jobs", "purge", "1")]
    [InlineData("jobs")]
    [InlineData("jobs", "list", "--verbose", "1")]
    [InlineData("studies", "list", "--state", "lost")]
    [InlineData("studies", "show", "not-a-uid")]
    [InlineData("studies", "show")]
    [InlineData("studies", "drop", StudyA)]
    public async Task BadArguments_ExitTwo_WithTheUsage(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains($"usage: minigptmed {args[0]} ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsShow_Text_ShowsTheRowAndTheErrorHistory()
    {
        var (code, stdout, stderr) = await RunAsync("jobs", "show", "2");
        Assert.True(code == 0, stderr);
        Assert.Contains("job 2\n", stdout, StringComparison.Ordinal);
        Assert.Matches(@"state +dead_letter", stdout);
        Assert.Matches(@"attempts +1 of 1", stdout);
        Assert.Matches(@"attempt 1: C-STORE to PACS: status A700 out of resources", stdout);
    }

    [Fact]
    public async Task JobsShow_UnknownId_ExitsOne()
    {
        var (code, stdout, stderr) = await RunAsync("jobs", "show", "99");
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Equal("minigptmed jobs: job 99 not found.", stderr.Trim());
    }

    [Fact]
    public async Task JobsRetry_DeadLetter_MakesItPendingWithAttemptsReset_AndKeepsTheErrors()
    {
        var (code, stdout, stderr) = await RunAsync("jobs", "retry", "2");
        Assert.True(code == 0, stderr);
        Assert.Contains("job 2 is pending again", stdout, StringComparison.Ordinal);

        var job = await JsonAsync("jobs", "show", "2");
        Assert.Equal("pending", job.GetProperty("state").GetString());
        Assert.Equal(0, job.GetProperty("attempt").GetInt32());
        Assert.Single(job.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public async Task JobsRetry_NotFinished_ExitsOneNamingTheState_AndChangesNothing()
    {
        var (code, _, stderr) = await RunAsync("jobs", "retry", "4");
        Assert.Equal(1, code);
        Assert.Equal("minigptmed jobs: job 4 is pending: only dead_letter or cancelled jobs can be retried.", stderr.Trim());
        Assert.Equal("pending", (await JsonAsync("jobs", "show", "4")).GetProperty("state").GetString());
        Assert.Equal(1, (await RunAsync("jobs", "retry", "99")).Code);
    }

    [Fact]
    public async Task JobsCancel_Pending_CancelsIt_Json_GivesTheJob()
    {
        var job = await JsonAsync("jobs", "cancel", "4");
        Assert.Equal("cancelled", job.GetProperty("state").GetString());
        Assert.Equal(4, job.GetProperty("id").GetInt64());
        Assert.Equal(4L, Assert.Single((await JsonAsync("jobs", "list", "--state", "cancelled")).EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task JobsCancel_Succeeded_ExitsOne_AndUnknownExitsOne()
    {
        var (code, _, stderr) = await RunAsync("jobs", "cancel", "1");
        Assert.Equal(1, code);
        Assert.Contains("job 1 is succeeded: only pending, retrying or running jobs can be cancelled", stderr, StringComparison.Ordinal);
        var (unknown, _, unknownError) = await RunAsync("jobs", "cancel", "99");
        Assert.Equal(1, unknown);
        Assert.Contains("job 99 not found", unknownError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StudiesList_Json_GivesCountsTimesStateAnalysisAndExportPerDestination()
    {
        var studies = await JsonAsync("studies", "list");
        Assert.Equal([StudyB, StudyA], studies.EnumerateArray().Select(s => s.GetProperty("groupUid").GetString()));
        var a = studies[1];
        Assert.Equal(3, a.GetProperty("instanceCount").GetInt32());
        Assert.Equal("analysed", a.GetProperty("state").GetString());
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero), a.GetProperty("firstReceivedAt").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 0, 2, TimeSpan.Zero), a.GetProperty("lastReceivedAt").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 0, 13, TimeSpan.Zero), a.GetProperty("stableAt").GetDateTimeOffset());
        Assert.Equal("succeeded", a.GetProperty("analysis").GetProperty("state").GetString());
        Assert.Equal(Findings, a.GetProperty("findings").GetString());
        var exports = a.GetProperty("exports").EnumerateArray().ToList();
        Assert.Equal(["FOLDER", "PACS"], exports.Select(e => e.GetProperty("destination").GetString()));
        Assert.Equal("succeeded", exports[0].GetProperty("work").GetProperty("state").GetString());
        Assert.Equal("dead_letter", exports[1].GetProperty("work").GetProperty("state").GetString());
        Assert.Contains("A700", exports[1].GetProperty("work").GetProperty("lastError").GetString(), StringComparison.Ordinal);

        var b = studies[0];
        Assert.Equal("receiving", b.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, b.GetProperty("stableAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, b.GetProperty("findings").ValueKind);
        Assert.Empty(b.GetProperty("exports").EnumerateArray());
    }

    [Fact]
    public async Task StudiesList_Text_OneRowPerStudy_AndTheStateFilter()
    {
        var (code, stdout, stderr) = await RunAsync("studies", "list");
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches($@"^{StudyA.Replace(".", @"\.", StringComparison.Ordinal)} +NODE +3 +2026-03-02 08:00:00Z +2026-03-02 08:00:02Z +2026-03-02 08:00:13Z +analysed +succeeded +2 findings: nodule x2 +FOLDER:succeeded, PACS:dead_letter$", lines[2]);
        Assert.Matches(@"^STUDY +AE +RECEIVED +FIRST +LAST +STABLE +STATE +ANALYSIS +FINDINGS +EXPORTS$", lines[0]);

        var receiving = await JsonAsync("studies", "list", "--state", "receiving");
        Assert.Equal(StudyB, Assert.Single(receiving.EnumerateArray()).GetProperty("groupUid").GetString());
    }

    [Fact]
    public async Task StudiesShow_Text_ShowsTheGroupItsWorkAndItsSeries()
    {
        var (code, stdout, stderr) = await RunAsync("studies", "show", StudyA);
        Assert.True(code == 0, stderr);
        Assert.Contains($"study {StudyA}", stdout, StringComparison.Ordinal);
        Assert.Matches(@"received +3 instance\(s\), first 2026-03-02 08:00:00Z, last 2026-03-02 08:00:02Z", stdout);
        Assert.Matches(@"analysis +succeeded \(job 1, attempt 1/5", stdout);
        Assert.Matches(@"findings +2 findings: nodule x2", stdout);
        Assert.Matches(@"export +PACS: dead_letter \(job 2, attempt 1/1.*last error: C-STORE to PACS", stdout);
        Assert.Matches($@"{StudyA.Replace(".", @"\.", StringComparison.Ordinal)}\.1 +3 +CT +CHEST +3 +\d+ +Thorax 1\.0 B70f", stdout);

        var json = await JsonAsync("studies", "show", StudyA);
        Assert.Equal(3, Assert.Single(json.GetProperty("series").EnumerateArray()).GetProperty("instances").GetInt32());
        Assert.Equal(Findings, Assert.Single(json.GetProperty("groups").EnumerateArray()).GetProperty("findings").GetString());
    }

    [Fact]
    public async Task StudiesShow_UnknownUid_ExitsOne()
    {
        var (code, stdout, stderr) = await RunAsync("studies", "show", "1.2.3.4.5");
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Equal("minigptmed studies: study 1.2.3.4.5 not found.", stderr.Trim());
    }
}
