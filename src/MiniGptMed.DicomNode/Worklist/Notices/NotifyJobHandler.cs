using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Worklist.Triage;

namespace MiniGptMed.DicomNode.Worklist.Notices;

/// <summary>
/// Runs <c>notify</c> jobs: one analysed study version to one channel, through the channel's resilience pipeline.
/// The notice is built when the job runs (from the triage row and the SR), so a retried job sends what was found,
/// and a job of a version that a re-analysis superseded sends nothing (the newer version has its own jobs).
/// </summary>
internal sealed class NotifyJobHandler(
    ITriageStore triage,
    IEnumerable<INoticeChannel> channels,
    IOptionsMonitor<StorageOptions> storage,
    NoticePipelines pipelines,
    ILogger<NotifyJobHandler> logger) : IJobHandler
{
    public string Kind => JobKinds.Notify;

    public async Task HandleAsync(Job job, CancellationToken cancellationToken)
    {
        NotifyPayload payload;
        try
        {
            payload = JsonSerializer.Deserialize(job.Payload, NoticeJsonContext.Default.NotifyPayload)
                ?? throw new PermanentJobFailureException("The notify job has no payload.");
        }
        catch (JsonException ex)
        {
            throw new PermanentJobFailureException($"The notify job's payload is not valid: {ex.Message}", ex);
        }

        var channel = channels.FirstOrDefault(c => string.Equals(c.Name, payload.Channel, StringComparison.Ordinal))
            ?? throw new PermanentJobFailureException($"Channel '{payload.Channel}' is not configured (Worklist); retry the job once it is.");
        var row = await triage.GetAsync(payload.CalledAe, payload.GroupUid, cancellationToken).ConfigureAwait(false)
            ?? throw new PermanentJobFailureException($"Group {payload.GroupUid} of {payload.CalledAe} has no triage to send.");
        if (row.Version != payload.Version)
        {
            WorklistLog.Superseded(logger, payload.StudyInstanceUid, payload.Version, channel.Name, row.Version);
            return;
        }

        var notice = NoticeBuilder.Build(row, payload.StudyInstanceUid, storage.CurrentValue.DataDirectory);
        try
        {
            await pipelines.For(channel).ExecuteAsync(async token => await channel.SendAsync(notice, token).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (PermanentJobFailureException ex)
        {
            WorklistLog.Refused(logger, channel.Name, payload.StudyInstanceUid, payload.Version, ex.Message);
            throw;
        }

        WorklistLog.Delivered(logger, payload.StudyInstanceUid, payload.Version, channel.Name);
    }
}
