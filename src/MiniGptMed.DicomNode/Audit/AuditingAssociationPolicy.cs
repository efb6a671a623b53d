using MiniGptMed.Dicom.Network.Association;

namespace MiniGptMed.DicomNode.Audit;

/// <summary>The association policy, audited: each decision becomes a User Authentication message (PS3.15 A.5.3.11).</summary>
internal sealed class AuditingAssociationPolicy(IAssociationPolicy inner, AuditTrail trail) : IAssociationPolicy
{
    public async ValueTask<AssociationDecision> EvaluateAsync(AssociationRequestInfo request, CancellationToken cancellationToken)
    {
        var decision = await inner.EvaluateAsync(request, cancellationToken).ConfigureAwait(false);
        trail.Record(AuditMessages.AssociationDecision(
            request.CallingAeTitle,
            request.CalledAeTitle,
            request.RemoteEndPoint.Address,
            decision.Accepted,
            decision.Accepted ? null : $"A-ASSOCIATE-RJ {decision.Result}, {decision.Source}: {decision.Reason}",
            DateTimeOffset.UtcNow));
        return decision;
    }
}
