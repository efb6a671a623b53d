using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Worklist.Notices;
using MiniGptMed.DicomNode.Worklist.Triage;

namespace MiniGptMed.DicomNode.Worklist;

/// <summary>
/// What the analyse job tells the worklist: the group's triage (stored before the group's state moves, so a crash
/// re-runs the job and writes the same row) and one <c>notify</c> job per configured channel, keyed by the study
/// version and the channel, so a second run of the job queues nothing new.
/// </summary>
internal sealed class WorklistRecorder(
    ITriageStore store,
    IJobQueue jobs,
    IOptionsMonitor<TriageOptions> triage,
    IOptionsMonitor<WorklistOptions> worklist,
    TimeProvider time,
    ILogger<WorklistRecorder> logger)
{
    public async Task AnalysedAsync(AnalysePayload payload, long version, GroupAnalysisResult result, CancellationToken cancellationToken)
    {
        var decision = Triager.Decide(triage.CurrentValue.RulesFor(payload.CalledAe), result.Detected);
        await SaveAsync(payload, version, decision, result.Modality, new TriageContent(result.Narrative, result.Detected), cancellationToken).ConfigureAwait(false);
        foreach (var channel in worklist.CurrentValue.Channels())
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"notify:{payload.StudyInstanceUid}:{channel}:{version}");
            await jobs.EnqueueAsync(JobRequest.Create(JobKinds.Notify, key,
                new NotifyPayload(payload.CalledAe, payload.GroupUid, payload.StudyInstanceUid, version, channel), NoticeJsonContext.Default.NotifyPayload),
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The analysis failed for good: the worklist shows it as failed, never as routine.</summary>
    public Task FailedAsync(AnalysePayload payload, long version, string reason, string? modality, CancellationToken cancellationToken) =>
        SaveAsync(payload, version, Triager.Failed(reason), modality, new TriageContent(null, []), cancellationToken);

    private async Task SaveAsync(AnalysePayload payload, long version, TriageDecision decision, string? modality, TriageContent content, CancellationToken cancellationToken)
    {
        await store.SaveAsync(new StudyTriage
        {
            CalledAe = payload.CalledAe,
            GroupUid = payload.GroupUid,
            Version = version,
            Priority = decision.Priority,
            Summary = decision.Summary,
            Rule = decision.Rule,
            Modality = modality,
            Content = content,
            DecidedAt = time.GetUtcNow(),
        }, cancellationToken).ConfigureAwait(false);
        WorklistLog.Triaged(logger, payload.CalledAe, payload.GroupUid, decision.Priority, decision.Summary);
    }
}
