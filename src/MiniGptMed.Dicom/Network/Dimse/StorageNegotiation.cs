using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Imaging.Codecs;
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

    /// <summary>
    /// The native syntaxes first, then every compressed syntax <paramref name="decoders"/> can decode
    /// (lossless before lossy): a context proposing only a compressed syntax we cannot decode is refused
    /// with "transfer syntaxes not supported", one we can decode is accepted as it comes.
    /// </summary>
    public static IReadOnlyList<string> TransferSyntaxPreference(PixelDecoderRegistry decoders) =>
    [
        .. DefaultTransferSyntaxPreference,
        .. decoders.DecodableTransferSyntaxes
            .Where(uid => !DefaultTransferSyntaxPreference.Contains(uid))
            .OrderBy(uid => DicomTransferSyntax.Lookup(uid).IsLossy)
            .ThenBy(uid => uid, StringComparer.Ordinal),
    ];

    public static bool IsAcceptedAbstractSyntax(string uid) =>
        uid == DicomUid.Verification.Value || DicomUid.Find(uid)?.IsStorageSopClass == true;

    public static PresentationContextNegotiator CreateScpNegotiator(IReadOnlyList<string>? transferSyntaxPreference = null) =>
        new(IsAcceptedAbstractSyntax, transferSyntaxPreference ?? TransferSyntaxPreference(PixelDecoderRegistry.Default));
}
