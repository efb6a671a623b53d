using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
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

        var objects = files.Select(Part10Source.Probe).ToList();
        ExportResult result;
        try
        {
            result = await _dicom.SendAsync(payload.StudyInstanceUid, destination, options.CallingAeTitle, objects, cancellationToken).ConfigureAwait(false);
        }
        catch (PermanentJobFailureException)
        {
            Audit(options, destination, payload.StudyInstanceUid, files, objects.Count);
            throw;
        }

        ExportLog.Delivered(logger, payload.StudyInstanceUid, destination.Name, result.Delivered.Count);
        Audit(options, destination, payload.StudyInstanceUid, files, 0);
    }

    private void Audit(ExportOptions options, DestinationOptions destination, string studyUid, IReadOnlyList<string> files, int failed)
    {
        // The audit names the patient (PS3.15 A.5.3.7 Participant Object: Patient); the result objects carry the source's Patient module.
        var first = DicomFile.Open(files[0]).Dataset;
        var classes = files.Select(Part10Source.Probe).GroupBy(s => s.SopClassUid, StringComparer.Ordinal).Select(g => (g.Key, g.Count())).ToList();
        var study = new StudyTransfer(studyUid, first.GetString(DicomTags.PatientID), first.GetString(DicomTags.PatientName), classes);
        audit(AuditMessages.InstancesExported(options.CallingAeTitle, destination.AeTitle, destination.Host, study, failed, time.GetUtcNow()));
    }
}
