using System.Diagnostics.Metrics;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Pdu;

namespace MiniGptMed.DicomNode.Reception;

/// <summary>
/// Reception's instruments (meter <c>MiniGptMed.Reception</c>, exported at /metrics): instances and bytes stored,
/// associations accepted and rejected by reason. Counter.Add is a few nanoseconds with no listener and a lock-free
/// aggregate with one: cheap enough for the receiving path.
/// </summary>
internal static class ReceptionMetrics
{
    public const string MeterName = "MiniGptMed.Reception";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Instances = Meter.CreateCounter<long>("minigptmed.reception.instances", "{instance}", "Instances stored and catalogued (answered Success).");

    public static readonly Counter<long> Bytes = Meter.CreateCounter<long>("minigptmed.reception.bytes", "By", "Bytes of the instances stored.");

    public static readonly Counter<long> Associations = Meter.CreateCounter<long>("minigptmed.reception.associations", "{association}",
        "Association requests decided by the policy, by outcome (accepted, rejected) and reason.");

    public static void Decided(AssociationDecision decision) =>
        Associations.Add(1, new KeyValuePair<string, object?>("outcome", decision.Accepted ? "accepted" : "rejected"),
            new KeyValuePair<string, object?>("reason", decision.Accepted ? "none" : ReasonText(decision.Source, decision.Reason)));

    /// <summary>PS3.8 9.3.4: a reason means something only with its source.</summary>
    public static string ReasonText(RejectSource source, RejectReason reason) => (source, (byte)reason) switch
    {
        (RejectSource.ServiceUser, 1) => "no_reason_given",
        (RejectSource.ServiceUser, 2) => "application_context_not_supported",
        (RejectSource.ServiceUser, 3) => "calling_ae_not_recognized",
        (RejectSource.ServiceUser, 7) => "called_ae_not_recognized",
        (RejectSource.ServiceProviderAcse, 2) => "protocol_version_not_supported",
        (RejectSource.ServiceProviderPresentation, 1) => "temporary_congestion",
        (RejectSource.ServiceProviderPresentation, 2) => "local_limit_exceeded",
        _ => $"source{(byte)source}_reason{(byte)reason}",
    };
}

/// <summary>The association policy, counted: each decision adds one to <see cref="ReceptionMetrics.Associations"/>.</summary>
internal sealed class MeteredAssociationPolicy(IAssociationPolicy inner) : IAssociationPolicy
{
    public async ValueTask<AssociationDecision> EvaluateAsync(AssociationRequestInfo request, CancellationToken cancellationToken)
    {
        var decision = await inner.EvaluateAsync(request, cancellationToken).ConfigureAwait(false);
        ReceptionMetrics.Decided(decision);
        return decision;
    }
}
