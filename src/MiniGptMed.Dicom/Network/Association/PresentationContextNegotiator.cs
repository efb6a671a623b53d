using MiniGptMed.Dicom.Network.Pdu;

namespace MiniGptMed.Dicom.Network.Association;

/// <summary>
/// Answers proposed presentation contexts (PS3.8 9.3.3.2): an abstract syntax we do not serve gets result 3, one whose
/// transfer syntaxes we cannot decode gets result 4, otherwise the first of our preferences that the peer proposed.
/// </summary>
public sealed class PresentationContextNegotiator(Func<string, bool> isAbstractSyntaxSupported, IReadOnlyList<string> transferSyntaxPreference)
{
    public IReadOnlyList<string> TransferSyntaxPreference { get; } = transferSyntaxPreference;

    public PresentationContext Negotiate(PresentationContextRequestItem proposed)
    {
        if (!isAbstractSyntaxSupported(proposed.AbstractSyntax))
        {
            return Answer(proposed, PresentationContextResult.AbstractSyntaxNotSupported, string.Empty);
        }

        foreach (var preferred in TransferSyntaxPreference)
        {
            if (proposed.TransferSyntaxes.Contains(preferred, StringComparer.Ordinal))
            {
                return Answer(proposed, PresentationContextResult.Acceptance, preferred);
            }
        }

        return Answer(proposed, PresentationContextResult.TransferSyntaxesNotSupported, string.Empty);
    }

    /// <summary>
    /// PS3.7 D.3.3.4: we accept the requestor in the SCU role where it proposes it, and never take the SCU role
    /// ourselves on an association we accept.
    /// </summary>
    public static IReadOnlyList<RoleSelection> AnswerRoles(IReadOnlyList<RoleSelection> proposed, IEnumerable<PresentationContext> accepted)
    {
        var acceptedClasses = accepted.Where(c => c.IsAccepted).Select(c => c.AbstractSyntax).ToHashSet(StringComparer.Ordinal);
        return proposed
            .Where(r => acceptedClasses.Contains(r.SopClassUid))
            .Select(r => new RoleSelection(r.SopClassUid, r.ScuRole, false))
            .ToList();
    }

    private static PresentationContext Answer(PresentationContextRequestItem proposed, PresentationContextResult result, string transferSyntax) =>
        new(proposed.Id, proposed.AbstractSyntax, proposed.TransferSyntaxes, result, transferSyntax);
}
