namespace MiniGptMed.Dicom.Network.Association;

/// <summary>
/// Rejects associations to an AE title that is not listening here (A-ASSOCIATE-RJ called-AE-not-recognized,
/// PS3.8 9.3.4), then defers to <paramref name="inner"/> for the calling side.
/// </summary>
public sealed class CalledAeAssociationPolicy(Func<IReadOnlyCollection<string>> listeningAeTitles, IAssociationPolicy inner) : IAssociationPolicy
{
    public ValueTask<AssociationDecision> EvaluateAsync(AssociationRequestInfo request, CancellationToken cancellationToken) =>
        listeningAeTitles().Contains(request.CalledAeTitle, StringComparer.Ordinal)
            ? inner.EvaluateAsync(request, cancellationToken)
            : ValueTask.FromResult(AssociationDecision.CalledAeNotRecognized);
}
