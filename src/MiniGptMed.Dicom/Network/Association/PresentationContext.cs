using MiniGptMed.Dicom.Network.Pdu;

namespace MiniGptMed.Dicom.Network.Association;

/// <summary>One negotiated presentation context: what was proposed and what was answered (PS3.8 7.1.1.13).</summary>
public sealed record PresentationContext(
    byte Id,
    string AbstractSyntax,
    IReadOnlyList<string> ProposedTransferSyntaxes,
    PresentationContextResult Result,
    string TransferSyntax)
{
    public bool IsAccepted => Result == PresentationContextResult.Acceptance;
}
