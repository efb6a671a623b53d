using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.DicomNode.Audit;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.DicomNode.Export;

/// <summary>
/// Runs <c>export</c> jobs: one study's result set (<c>results/&lt;study&gt;/*.dcm</c>) to one destination. Sending
/// again is harmless (the result UIDs are stable, so a destination replaces the same instances), which makes the
/// job's at-least-once execution safe. Each delivery to a DICOM destination is audited (PS3.15 A.5.3.7).
/// </summary>
internal sealed class ExportJobHandler(
    IOptionsMonitor<ExportOptions> exportOptions,
    IOptionsMonitor<StorageOptions> storage,
    IStoreClientFactory clients,
    Action<AuditEvent> audit,
    TimeProvider time,
    ILogger<ExportJobHandler> logger) : IJobHandler
{
    private readonly DicomExporter _dicom = new(clients, time, logger);

    public string Kind => JobKinds.Export;

    public async Task HandleAsync(Job job, CancellationToken cancellationToken)
    {
        ExportPayload payload;
        try
        {
            payload = JsonSerializer.Deserialize(job.Payload, JobJsonContext.Default.ExportPayload)
                ?? throw new PermanentJobFailureException("The export job has no payload.");
        }
        catch (JsonException ex)
        {
            throw new PermanentJobFailureException($"The export job's payload is not valid: {ex.Message}", ex);
        }

        var started = time.GetTimestamp();
        try
        {
            await ExportAsync(payload, cancellationToken).ConfigureAwait(false);
            ExportMetrics.Duration.Record(time.GetElapsedTime(started).TotalSeconds, ExportMetrics.Destination(payload.Destination));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ExportMetrics.Failures.Add(1, ExportMetrics.Destination(payload.Destination));
            throw;
        }
    }

    private async Task ExportAsync(ExportPayload payload, CancellationToken cancellationToken)
    {
        var options = exportOptions.CurrentValue;
        var dataDirectory = storage.CurrentValue.DataDirectory;
        var destination = options.Effective(dataDirectory).FirstOrDefault(d => string.Equals(d.Name, payload.Destination, StringComparison.Ordinal))
            ?? throw new PermanentJobFailureException($"Destination '{payload.Destination}' is not configured (Export:Destinations); retry the job once it is.");
        if (!DicomUid.IsValid(payload.StudyInstanceUid))
        {
            throw new PermanentJobFailureException($"'{payload.StudyInstanceUid}' is not a Study Instance UID.");
        }

        var files = ResultFolders.Files(ResultFolders.For(dataDirectory, payload.StudyInstanceUid));
        if (files.Count == 0)
        {
            throw new PermanentJobFailureException($"Study {payload.StudyInstanceUid} has no results to export in {ResultFolders.For(dataDirectory, payload.StudyInstanceUid)}.");
        }

        if (destination.Type == DestinationType.Folder)
        {
            var copied = FolderExporter.Copy(files, ResultFolders.For(destination.Path, payload.StudyInstanceUid));
            ExportLog.Delivered(logger, payload.StudyInstanceUid, destination.Name, copied);
            return;
        }

        var objects = InSendingOrder(files.Select(Part10Source.Probe));
        ExportResult result;
        var progress = new AcknowledgementLog(logger, payload.StudyInstanceUid, destination.Name, time);
        try
        {
            result = await _dicom.SendAsync(payload.StudyInstanceUid, destination, options.CallingAeTitle, objects, cancellationToken, progress).ConfigureAwait(false);
        }
        catch (PermanentJobFailureException)
        {
            Audit(options, destination, payload.StudyInstanceUid, objects, objects.Count);
            throw;
        }

        ExportLog.Delivered(logger, payload.StudyInstanceUid, destination.Name, result.Delivered.Count);
        Audit(options, destination, payload.StudyInstanceUid, objects, 0);
    }

    /// <summary>
    /// The report first, then the presentation states, then the images: the SR is what the reader needs and the smallest,
    /// so it reaches the PACS before a multi-megabyte Secondary Capture is written there (file names alone would send
    /// PR, SC, SR).
    /// </summary>
    public static IReadOnlyList<Part10Source> InSendingOrder(IEnumerable<Part10Source> objects) =>
        [.. objects.OrderBy(o => Rank(o.SopClassUid)).ThenBy(o => o.Path, StringComparer.Ordinal)];

    private static int Rank(string sopClassUid) =>
        // PS3.4 B.5: the SR Storage classes are 1.2.840.10008.5.1.4.1.1.88.*, the presentation states 1.2.840.10008.5.1.4.1.1.11.*.
        sopClassUid.StartsWith("1.2.840.10008.5.1.4.1.1.88.", StringComparison.Ordinal) ? 0
        : sopClassUid.StartsWith("1.2.840.10008.5.1.4.1.1.11.", StringComparison.Ordinal) ? 1
        : 2;

    private void Audit(ExportOptions options, DestinationOptions destination, string studyUid, IReadOnlyList<Part10Source> objects, int failed)
    {
        // The audit names the patient (PS3.15 A.5.3.7 Participant Object: Patient); the result objects carry the source's Patient module.
        var first = DicomFile.Open(objects[0].Path, new DicomReaderOptions { StopBeforeTag = DicomTags.PixelData }).Dataset;
        var classes = objects.GroupBy(s => s.SopClassUid, StringComparer.Ordinal).Select(g => (g.Key, g.Count())).ToList();
        var study = new StudyTransfer(studyUid, first.GetString(DicomTags.PatientID), first.GetString(DicomTags.PatientName), classes);
        audit(AuditMessages.InstancesExported(options.CallingAeTitle, destination.AeTitle, destination.Host, study, failed, time.GetUtcNow()));
    }
}

/// <summary>
/// Reports each object's answer as the destination gives it (Debug, event 5664): when the SR was acknowledged, not only
/// when the whole set was (tools/bench_latency.sh reads it). Synchronous, unlike <see cref="Progress{T}"/>, so the time
/// is the answer's.
/// </summary>
internal sealed class AcknowledgementLog(ILogger logger, string studyUid, string destination, TimeProvider time) : IProgress<StoreOutcome>
{
    private readonly long _started = time.GetTimestamp();

    public void Report(StoreOutcome value)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            ExportLog.Acknowledged(logger, studyUid, destination, Path.GetFileName(value.Path), value.Status ?? 0xFFFF,
                (long)time.GetElapsedTime(_started).TotalMilliseconds);
        }
    }
}
