using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Network.Association;

namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>Which presentation contexts a storage SCP accepts: Verification and every storage SOP class in the dictionary.</summary>
public static class StorageNegotiation
{
    /// <summary>
    /// Transfer syntaxes the data layer reads without a codec, best first: explicit VR little endian keeps VRs
    /// that implicit VR loses; deflate and big endian last. Compressed syntaxes join as the imaging layer gains decoders.
    /// </summary>
    public static IReadOnlyList<string> DefaultTransferSyntaxPreference { get; } =
    [
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ImplicitVRLittleEndian.Uid,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ExplicitVRBigEndian.Uid,
    ];

    public static bool IsAcceptedAbstractSyntax(string uid) =>
        uid == DicomUid.Verification.Value || DicomUid.Find(uid)?.IsStorageSopClass == true;

    public static PresentationContextNegotiator CreateScpNegotiator(IReadOnlyList<string>? transferSyntaxPreference = null) =>
        new(IsAcceptedAbstractSyntax, transferSyntaxPreference ?? DefaultTransferSyntaxPreference);
}
