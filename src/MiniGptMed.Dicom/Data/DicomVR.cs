using System.Collections.Frozen;

namespace MiniGptMed.Dicom.Data;

/// <summary>What a value of a VR holds, which decides how it is read, written and shown.</summary>
public enum DicomVRKind
{
    /// <summary>Character string (AE, CS, LO, PN, ...), values separated by '\' where multi-valued.</summary>
    Text,

    /// <summary>Binary numbers of a fixed size (US, SL, FD, AT, ...).</summary>
    Number,

    /// <summary>Opaque bytes or words (OB, OW, OF, OD, OL, OV, UN).</summary>
    Bulk,

    /// <summary>Sequence of items (SQ).</summary>
    Sequence,
}

/// <summary>
/// A value representation of PS3.5 6.2 as a descriptor: each VR knows how it is encoded.
/// The set is closed: every VR of PS3.5 Table 6.2-1 has one instance here.
/// </summary>
public sealed class DicomVR
{
    private DicomVR(
        string code,
        DicomVRKind kind,
        bool longLength,
        byte padding,
        long maxLength,
        int unitSize,
        bool multiValueText = false,
        bool specificCharacterSet = false,
        bool trimLeading = false)
    {
        Code = code;
        Kind = kind;
        HasLongExplicitLength = longLength;
        PaddingByte = padding;
        MaxLength = maxLength;
        UnitSize = unitSize;
        IsMultiValueText = multiValueText;
        UsesSpecificCharacterSet = specificCharacterSet;
        TrimsLeadingSpaces = trimLeading;
        Code16 = (ushort)((code[0] << 8) | code[1]);
    }

    /// <summary>The two upper-case letters, as written in explicit VR encodings.</summary>
    public string Code { get; }

    /// <summary>The two letters as a big-endian 16-bit number ('O','B' = 0x4F42).</summary>
    public ushort Code16 { get; }

    public DicomVRKind Kind { get; }

    /// <summary>PS3.5 7.1.2: in explicit VR, these VRs have two reserved bytes and a 32-bit length.</summary>
    public bool HasLongExplicitLength { get; }

    /// <summary>PS3.5 6.2: the byte that pads a value to even length (NUL for UI and binary, space for text).</summary>
    public byte PaddingByte { get; }

    /// <summary>Maximum length of one value in bytes (characters for text VRs), or of the whole value for bulk VRs.</summary>
    public long MaxLength { get; }

    /// <summary>Size of one binary unit for byte swapping between little and big endian (1 for bytes and text).</summary>
    public int UnitSize { get; }

    /// <summary>Text VRs whose values are separated by backslash (not LT, ST, UT, UR: PS3.5 6.4).</summary>
    public bool IsMultiValueText { get; }

    /// <summary>PS3.5 6.1.2.3: SH, LO, ST, LT, PN, UC and UT may use the extended character sets.</summary>
    public bool UsesSpecificCharacterSet { get; }

    /// <summary>Whether leading spaces are insignificant (they are not in LT, ST, UT, UR: PS3.5 Table 6.2-1).</summary>
    public bool TrimsLeadingSpaces { get; }

    public bool IsText => Kind == DicomVRKind.Text;

    public override string ToString() => Code;

    public static readonly DicomVR AE = new("AE", DicomVRKind.Text, false, 0x20, 16, 1, multiValueText: true, trimLeading: true);
    public static readonly DicomVR AS = new("AS", DicomVRKind.Text, false, 0x20, 4, 1, multiValueText: true);
    public static readonly DicomVR AT = new("AT", DicomVRKind.Number, false, 0x00, 4, 2);
    public static readonly DicomVR CS = new("CS", DicomVRKind.Text, false, 0x20, 16, 1, multiValueText: true, trimLeading: true);
    public static readonly DicomVR DA = new("DA", DicomVRKind.Text, false, 0x20, 8, 1, multiValueText: true, trimLeading: true);
    public static readonly DicomVR DS = new("DS", DicomVRKind.Text, false, 0x20, 16, 1, multiValueText: true, trimLeading: true);
    public static readonly DicomVR DT = new("DT", DicomVRKind.Text, false, 0x20, 26, 1, multiValueText: true, trimLeading: true);
    public static readonly DicomVR FD = new("FD", DicomVRKind.Number, false, 0x00, 8, 8);
    public static readonly DicomVR FL = new("FL", DicomVRKind.Number, false, 0x00, 4, 4);
    public static readonly DicomVR IS = new("IS", DicomVRKind.Text, false, 0x20, 12, 1, multiValueText: true, trimLeading: true);
    public static readonly DicomVR LO = new("LO", DicomVRKind.Text, false, 0x20, 64, 1, multiValueText: true, specificCharacterSet: true, trimLeading: true);
    public static readonly DicomVR LT = new("LT", DicomVRKind.Text, false, 0x20, 10240, 1, specificCharacterSet: true);
    public static readonly DicomVR OB = new("OB", DicomVRKind.Bulk, true, 0x00, 0xFFFFFFFE, 1);
    public static readonly DicomVR OD = new("OD", DicomVRKind.Bulk, true, 0x00, 0xFFFFFFF8, 8);
    public static readonly DicomVR OF = new("OF", DicomVRKind.Bulk, true, 0x00, 0xFFFFFFFC, 4);
    public static readonly DicomVR OL = new("OL", DicomVRKind.Bulk, true, 0x00, 0xFFFFFFFC, 4);
    public static readonly DicomVR OV = new("OV", DicomVRKind.Bulk, true, 0x00, 0xFFFFFFF8, 8);
    public static readonly DicomVR OW = new("OW", DicomVRKind.Bulk, true, 0x00, 0xFFFFFFFE, 2);
    public static readonly DicomVR PN = new("PN", DicomVRKind.Text, false, 0x20, 64 * 3 + 2, 1, multiValueText: true, specificCharacterSet: true, trimLeading: true);
    public static readonly DicomVR SH = new("SH", DicomVRKind.Text, false, 0x20, 16, 1, multiValueText: true, specificCharacterSet: true, trimLeading: true);
    public static readonly DicomVR SL = new("SL", DicomVRKind.Number, false, 0x00, 4, 4);
    public static readonly DicomVR SQ = new("SQ", DicomVRKind.Sequence, true, 0x00, 0xFFFFFFFE, 1);
    public static readonly DicomVR SS = new("SS", DicomVRKind.Number, false, 0x00, 2, 2);
    public static readonly DicomVR ST = new("ST", DicomVRKind.Text, false, 0x20, 1024, 1, specificCharacterSet: true);
    public static readonly DicomVR SV = new("SV", DicomVRKind.Number, true, 0x00, 8, 8);
    public static readonly DicomVR TM = new("TM", DicomVRKind.Text, false, 0x20, 14, 1, multiValueText: true, trimLeading: true);
    public static readonly DicomVR UC = new("UC", DicomVRKind.Text, true, 0x20, 0xFFFFFFFE, 1, multiValueText: true, specificCharacterSet: true, trimLeading: true);
    public static readonly DicomVR UI = new("UI", DicomVRKind.Text, false, 0x00, 64, 1, multiValueText: true, trimLeading: true);
    public static readonly DicomVR UL = new("UL", DicomVRKind.Number, false, 0x00, 4, 4);
    public static readonly DicomVR UN = new("UN", DicomVRKind.Bulk, true, 0x00, 0xFFFFFFFE, 1);
    public static readonly DicomVR UR = new("UR", DicomVRKind.Text, true, 0x20, 0xFFFFFFFE, 1);
    public static readonly DicomVR US = new("US", DicomVRKind.Number, false, 0x00, 2, 2);
    public static readonly DicomVR UT = new("UT", DicomVRKind.Text, true, 0x20, 0xFFFFFFFE, 1, specificCharacterSet: true);
    public static readonly DicomVR UV = new("UV", DicomVRKind.Number, true, 0x00, 8, 8);

    public static IReadOnlyList<DicomVR> All { get; } =
    [
        AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH,
        SL, SQ, SS, ST, SV, TM, UC, UI, UL, UN, UR, US, UT, UV,
    ];

    private static readonly FrozenDictionary<ushort, DicomVR> ByCode16 = All.ToFrozenDictionary(vr => vr.Code16);

    /// <summary>Looks up a VR from the two bytes of an explicit VR encoding.</summary>
    public static bool TryGet(byte first, byte second, out DicomVR vr) =>
        ByCode16.TryGetValue((ushort)((first << 8) | second), out vr!);

    public static bool TryParse(string? code, out DicomVR vr)
    {
        vr = null!;
        return code is { Length: 2 } && TryGet((byte)code[0], (byte)code[1], out vr);
    }

    public static DicomVR Parse(string code) =>
        TryParse(code, out var vr) ? vr : throw new FormatException($"'{code}' is not a DICOM value representation.");
}
