using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Assembly;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Export;
using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.DicomNode.Analysis;

/// <summary>What the analysis of one group is asked: the rule that matched, the instances it covers, where results go.</summary>
public sealed record GroupAnalysisRequest(
    string CalledAe,
    string GroupUid,
    string StudyInstanceUid,
    AnalysisRuleOptions Rule,
    IReadOnlyList<InstanceRecord> Instances,
    string ResultsFolder,
    IReadOnlyList<string> EarlierResults);

/// <summary>
/// What it produced: the result files (sealed in <see cref="GroupAnalysisRequest.ResultsFolder"/>), a one-line findings
/// summary without patient data (finding labels and counts, or "no findings"; kept as <c>studies.findings</c>), and
/// how many images the model was given.
/// </summary>
public sealed record GroupAnalysisResult(IReadOnlyList<string> Files, string Findings)
{
    public int Images { get; init; }

    /// <summary>The findings with their codes and confidences, for triage and the notices.</summary>
    public IReadOnlyList<Worklist.Triage.TriageFinding> Detected { get; init; } = [];

    /// <summary>The generated report, when a report task ran.</summary>
    public string? Narrative { get; init; }

    public string? Modality { get; init; }
}

/// <summary>
/// The node's one analysis path seen from the pipeline: DICOM instances to planned frames, rendered, through the
/// engine in batches, boxes on the source pixels, SR/SC/GSPS written atomically with UIDs derived from the input (so a
/// second run writes the same objects). Earlier results of the study name the SR a re-analysis supersedes (PS3.3
/// C.17.2.3 Predecessor Documents Sequence).
/// </summary>
public interface IGroupAnalyser
{
    Task<GroupAnalysisResult> AnalyseAsync(GroupAnalysisRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Runs <c>analyse</c> jobs: loads the group's rows, applies the rules, runs the analysis, records the outcome on the
/// group (analysed, or failed after the job's last attempt) and queues one <c>export</c> job per destination, keyed by
/// the analyse job so that a second run of the same job queues nothing new.
/// </summary>
internal sealed class AnalyseJobHandler(
    ICatalogue catalogue,
    IJobQueue jobs,
    IGroupAnalyser analyser,
    IOptionsMonitor<AnalysisRulesOptions> rules,
    IOptionsMonitor<ExportOptions> export,
    IOptionsMonitor<StorageOptions> storage,
    ILogger<AnalyseJobHandler> logger,
    Worklist.WorklistRecorder? worklist = null) : IJobHandler
{
    public string Kind => JobKinds.Analyse;

    public async Task HandleAsync(Job job, CancellationToken cancellationToken)
    {
        AnalysePayload payload;
        try
        {
            payload = JsonSerializer.Deserialize(job.Payload, JobJsonContext.Default.AnalysePayload)
                ?? throw new PermanentJobFailureException("The analyse job has no payload.");
        }
        catch (JsonException ex)
        {
            throw new PermanentJobFailureException($"The analyse job's payload is not valid: {ex.Message}", ex);
        }

        var study = await catalogue.StudyAsync(payload.CalledAe, payload.GroupUid, cancellationToken).ConfigureAwait(false)
            ?? throw new PermanentJobFailureException($"Group {payload.GroupUid} of {payload.CalledAe} is not in the catalogue.");
        if (study.State == StudyState.Stable
            && !await catalogue.TransitionStudyAsync(payload.CalledAe, payload.GroupUid, StudyState.Stable, StudyState.Analysing, cancellationToken).ConfigureAwait(false))
        {
            study = await catalogue.StudyAsync(payload.CalledAe, payload.GroupUid, cancellationToken).ConfigureAwait(false) ?? study;
        }
        else if (study.State == StudyState.Stable)
        {
            // Assembly queues the job before it moves the group to analysing (a crash between the two loses nothing),
            // so a worker woken by the enqueue can get here first, or a crash left the group stable with its job
            // queued. The queued job is the decision: it moves the group itself; assembly's own move then finds it done.
            study = study with { State = StudyState.Analysing };
        }

        if (study.State != StudyState.Analysing)
        {
            // A second run of a job whose first run finished (its worker died before recording it): nothing to redo.
            AnalysisLog.AlreadyDone(logger, payload.CalledAe, payload.GroupUid, study.State);
            return;
        }

        var instances = await catalogue.GroupInstancesAsync(payload.CalledAe, payload.GroupUid, cancellationToken).ConfigureAwait(false);
        var match = AnalysisRules.Match(rules.CurrentValue.EffectiveFor(payload.CalledAe), payload.CalledAe, instances);
        if (match.Rule is not { } rule)
        {
            // The rules changed since assembly queued the job.
            await catalogue.RecordDecisionAsync(payload.CalledAe, payload.GroupUid, StudyState.Analysing, StudyState.Ignored, CoveredThrough(study, instances), null,
                cancellationToken).ConfigureAwait(false);
            AnalysisLog.NotAnalysed(logger, payload.CalledAe, payload.GroupUid, match.Reason);
            return;
        }

        var dataDirectory = storage.CurrentValue.DataDirectory;
        var folder = ResultFolders.For(dataDirectory, payload.StudyInstanceUid);
        var request = new GroupAnalysisRequest(payload.CalledAe, payload.GroupUid, payload.StudyInstanceUid, rule,
            match.Instances, folder, ResultFolders.Files(folder));
        var clock = Stopwatch.StartNew();
        GroupAnalysisResult result;
        try
        {
            result = await analyser.AnalyseAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && (ex is PermanentJobFailureException || job.Attempt >= job.MaxAttempts))
        {
            // The job will not run again: the group says so (the CLI shows it; `jobs retry` makes it analysing again).
            if (worklist is not null)
            {
                await worklist.FailedAsync(payload, job.Id, ex.Message, match.Instances.Select(i => i.Modality).FirstOrDefault(m => m is not null), CancellationToken.None).ConfigureAwait(false);
            }

            await catalogue.TransitionStudyAsync(payload.CalledAe, payload.GroupUid, StudyState.Analysing, StudyState.Failed, CancellationToken.None).ConfigureAwait(false);
            AnalysisLog.Failed(logger, payload.CalledAe, payload.GroupUid, ex.Message);
            throw;
        }

        // Triage, notices and exports first, then the state: a crash between them re-runs the job, which finds the same keys.
        if (worklist is not null)
        {
            await worklist.AnalysedAsync(payload, job.Id, result, cancellationToken).ConfigureAwait(false);
        }

        foreach (var destination in export.CurrentValue.EffectiveFor(payload.CalledAe, dataDirectory))
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"export:{payload.StudyInstanceUid}:{destination.Name}:{job.Id}");
            await jobs.EnqueueAsync(JobRequest.Create(JobKinds.Export, key, new ExportPayload(payload.StudyInstanceUid, destination.Name), JobJsonContext.Default.ExportPayload),
                cancellationToken).ConfigureAwait(false);
        }

        // What this run covered is the rows it read: an instance recorded since (while the model ran) is a late arrival,
        // which assembly sees after this move and treats by the AE's policy (analyse again, or catalogue it only).
        await catalogue.RecordDecisionAsync(payload.CalledAe, payload.GroupUid, StudyState.Analysing, StudyState.Analysed, CoveredThrough(study, instances),
            result.Findings, cancellationToken).ConfigureAwait(false);
        AnalysisMetrics.Duration.Record(clock.Elapsed.TotalSeconds, new KeyValuePair<string, object?>("rule", rule.Name));
        AnalysisLog.Analysed(logger, payload.CalledAe, payload.GroupUid, rule.Name, clock.ElapsedMilliseconds, result.Images,
            string.Join(", ", rule.Tasks.Select(t => t.Prompt is { Length: > 0 } prompt ? $"{t.Task} ({prompt})" : t.Task)), result.Findings, result.Files.Count);
    }

    /// <summary>The newest arrival among the rows the job read (the group's own last arrival when it read none).</summary>
    private static DateTimeOffset CoveredThrough(StudyRecord study, IReadOnlyList<InstanceRecord> instances) =>
        instances.Count == 0 ? study.LastReceivedAt : instances.Max(i => i.ReceivedAt);
}

/// <summary>The analysis stage's log: event IDs 5640-5659; counts, rule names and findings, never patient data.</summary>
internal static partial class AnalysisLog
{
    [LoggerMessage(5640, LogLevel.Information,
        "Analysis: {CalledAe} group {GroupUid} analysed by rule {Rule} in {Milliseconds} ms: {Images} images, tasks {Tasks}; {Findings}; {Objects} result objects")]
    public static partial void Analysed(ILogger logger, string calledAe, string groupUid, string rule, long milliseconds, int images, string tasks, string findings, int objects);

    [LoggerMessage(5641, LogLevel.Error, "Analysis: {CalledAe} group {GroupUid} failed: {Message}")]
    public static partial void Failed(ILogger logger, string calledAe, string groupUid, string message);

    [LoggerMessage(5642, LogLevel.Information, "Analysis: {CalledAe} group {GroupUid} not analysed: {Reason}")]
    public static partial void NotAnalysed(ILogger logger, string calledAe, string groupUid, string reason);

    [LoggerMessage(5643, LogLevel.Information, "Analysis: {CalledAe} group {GroupUid} is already {State}; nothing to do")]
    public static partial void AlreadyDone(ILogger logger, string calledAe, string groupUid, StudyState state);
}
