using System.Globalization;
using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.Dicom.Network.Pdu;
using MiniGptMed.DicomNode.Jobs;
using Polly;

namespace MiniGptMed.DicomNode.Export;

/// <summary>What one export delivered: the objects the destination stored (Success or a warning).</summary>
public sealed record ExportResult(IReadOnlyList<StoreOutcome> Delivered);

/// <summary>
/// Sends a result set to a DICOM destination with C-STORE, through one resilience pipeline per destination: a
/// timeout per association, retries with exponential backoff and jitter, and a circuit breaker so that a destination
/// that is down is not called by every job in turn. Each object's status decides (PS3.4 B.2.3): Success or a
/// warning (0000, Bxxx) is delivered; A7xx (Refused: out of resources) is sent again; any other refusal (A9xx, Cxxx,
/// a SOP class the destination does not accept) will not change by retrying: the job is dead-lettered naming the
/// status. An association that fails part way keeps what the destination answered; only the rest is sent again.
/// </summary>
internal sealed class DicomExporter(IStoreClientFactory clients, TimeProvider time, ILogger logger)
{
    private readonly ILogger _logger = logger;

    private readonly DeliveryPipelines _pipelines = new(time, ex => ex is StoreAssociationException or OutOfResourcesException, new DeliveryEvents(
        (name, attempt, delay, message) => ExportLog.Retrying(logger, name, attempt, delay, message),
        (name, seconds) => ExportLog.CircuitOpened(logger, name, seconds)));

    public async Task<ExportResult> SendAsync(string studyUid, DestinationOptions destination, string callingAeTitle, IReadOnlyList<Part10Source> objects,
        CancellationToken cancellationToken, IProgress<StoreOutcome>? progress = null)
    {
        var pending = objects.ToList();
        var delivered = new List<StoreOutcome>();
        var refused = new List<StoreOutcome>();

        void Classify(IEnumerable<StoreOutcome> outcomes)
        {
            foreach (var outcome in outcomes)
            {
                if (outcome.Succeeded)
                {
                    delivered.Add(outcome);
                    pending.RemoveAll(p => p.Path == outcome.Path);
                }
                else if (outcome.Status is { } status && (status & 0xFF00) == 0xA700)
                {
                    // PS3.4 B.2.3: A7xx Refused: Out of Resources — the destination may have room later.
                }
                else
                {
                    refused.Add(outcome);
                    pending.RemoveAll(p => p.Path == outcome.Path);
                }
            }
        }

        await Pipeline(destination).ExecuteAsync(async token =>
        {
            var client = clients.Create(destination, callingAeTitle);
            try
            {
                Classify(await client.StoreAsync(pending, progress, token).ConfigureAwait(false));
            }
            catch (StoreAssociationException ex)
            {
                Classify(ex.Outcomes);
                if (ex.InnerException is AssociationRejectedException { Reject.Result: RejectResult.Permanent } rejected)
                {
                    // PS3.8 9.3.4: rejected-permanent (an unknown called or calling AE title) — configuration, not chance.
                    throw new PermanentJobFailureException($"{destination.Name} rejected the association permanently ({rejected.Message})", ex);
                }

                throw;
            }

            if (pending.Count > 0 && refused.Count == 0)
            {
                throw new OutOfResourcesException($"{destination.Name} refused {pending.Count} objects for lack of resources (A7xx)");
            }
        }, cancellationToken).ConfigureAwait(false);

        if (refused.Count > 0)
        {
            var statuses = string.Join("; ", refused.Select(o => o.Status is { } s
                ? string.Create(CultureInfo.InvariantCulture, $"{o.SopInstanceUid}: {s:X4} {DimseStatus.Describe(s)}{(o.Error is null ? "" : " (" + o.Error + ")")}")
                : $"{o.SopInstanceUid}: {o.Error}"));
            ExportLog.Refused(_logger, studyUid, destination.Name, refused.Count, statuses);
            throw new PermanentJobFailureException($"{destination.Name} refused {refused.Count} of {objects.Count} objects: {statuses}");
        }

        return new ExportResult(delivered);
    }

    // Export has always retried at least once within a job (Retries 0 still gives one more attempt).
    private ResiliencePipeline Pipeline(DestinationOptions d) =>
        _pipelines.For(d.Name, new DeliverySettings(d.AttemptTimeoutSeconds, Math.Max(d.Retries, 1), d.RetryDelayMilliseconds, d.BreakAfterFailures, d.BreakSeconds));
}

/// <summary>The destination refused objects with A7xx (out of resources): worth another attempt.</summary>
internal sealed class OutOfResourcesException(string message) : Exception(message);
