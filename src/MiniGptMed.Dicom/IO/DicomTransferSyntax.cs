using System.Collections.Frozen;

namespace MiniGptMed.Dicom.IO;

/// <summary>How a data set is encoded (PS3.5 10): VR explicitness, byte order, deflate, encapsulation.</summary>
public sealed class DicomTransferSyntax
{
    private DicomTransferSyntax(string uid, string name, bool explicitVR, bool littleEndian, bool deflated, bool encapsulated, bool lossy)
    {
        Uid = uid;
        Name = name;
        IsExplicitVR = explicitVR;
        IsLittleEndian = littleEndian;
        IsDeflated = deflated;
        IsEncapsulated = encapsulated;
        IsLossy = lossy;
    }

    public string Uid { get; }

    public string Name { get; }

    public bool IsExplicitVR { get; }

    public bool IsLittleEndian { get; }

    public bool IsDeflated { get; }

    /// <summary>Pixel data is encapsulated in fragments (PS3.5 A.4): compressed syntaxes.</summary>
    public bool IsEncapsulated { get; }

    public bool IsLossy { get; }

    public override string ToString() => $"{Name} ({Uid})";

    public static readonly DicomTransferSyntax ImplicitVRLittleEndian = new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, true, false, false, false);
    public static readonly DicomTransferSyntax ExplicitVRLittleEndian = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, true, false, false, false);
    public static readonly DicomTransferSyntax EncapsulatedUncompressedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian", true, true, false, true, false);
    public static readonly DicomTransferSyntax DeflatedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, true, true, false, false);
    public static readonly DicomTransferSyntax ExplicitVRBigEndian = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian (retired)", true, false, false, false, false);
    public static readonly DicomTransferSyntax JPEGBaseline8Bit = new("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, true, false, true, true);
    public static readonly DicomTransferSyntax JPEGExtended12Bit = new("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", true, true, false, true, true);
    public static readonly DicomTransferSyntax JPEGLossless = new("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", true, true, false, true, false);
    public static readonly DicomTransferSyntax JPEGLosslessSV1 = new("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", true, true, false, true, false);
    public static readonly DicomTransferSyntax JPEGLSLossless = new("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression", true, true, false, true, false);
    public static readonly DicomTransferSyntax JPEGLSNearLossless = new("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression", true, true, false, true, true);
    public static readonly DicomTransferSyntax JPEG2000Lossless = new("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", true, true, false, true, false);
    public static readonly DicomTransferSyntax JPEG2000 = new("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", true, true, false, true, true);
    public static readonly DicomTransferSyntax HTJ2KLossless = new("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)", true, true, false, true, false);
    public static readonly DicomTransferSyntax HTJ2KLosslessRPCL = new("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)", true, true, false, true, false);
    public static readonly DicomTransferSyntax HTJ2K = new("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression", true, true, false, true, true);
    public static readonly DicomTransferSyntax RLELossless = new("1.2.840.10008.1.2.5", "RLE Lossless", true, true, false, true, false);

    /// <summary>The four syntaxes every reader and writer here handles without a codec.</summary>
    public static IReadOnlyList<DicomTransferSyntax> Uncompressed { get; } =
        [ExplicitVRLittleEndian, ImplicitVRLittleEndian, ExplicitVRBigEndian, DeflatedExplicitVRLittleEndian];

    public static IReadOnlyList<DicomTransferSyntax> Known { get; } =
    [
        ImplicitVRLittleEndian, ExplicitVRLittleEndian, EncapsulatedUncompressedExplicitVRLittleEndian, DeflatedExplicitVRLittleEndian,
        ExplicitVRBigEndian, JPEGBaseline8Bit, JPEGExtended12Bit, JPEGLossless, JPEGLosslessSV1, JPEGLSLossless, JPEGLSNearLossless,
        JPEG2000Lossless, JPEG2000, HTJ2KLossless, HTJ2KLosslessRPCL, HTJ2K, RLELossless,
    ];

    private static readonly FrozenDictionary<string, DicomTransferSyntax> ByUid = Known.ToFrozenDictionary(ts => ts.Uid, StringComparer.Ordinal);

    /// <summary>
    /// The syntax for a UID. PS3.5 10: every syntax beyond the three native ones is explicit VR little
    /// endian with encapsulated pixel data, so an unknown UID is read that way.
    /// </summary>
    public static DicomTransferSyntax Lookup(string uid)
    {
        var trimmed = uid.TrimEnd('\0', ' ');
        return ByUid.TryGetValue(trimmed, out var ts)
            ? ts
            : new DicomTransferSyntax(trimmed, $"Unknown ({trimmed})", true, true, false, true, false);
    }

    public static bool IsKnown(string uid) => ByUid.ContainsKey(uid.TrimEnd('\0', ' '));
}
