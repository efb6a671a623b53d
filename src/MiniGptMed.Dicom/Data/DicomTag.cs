using System.Globalization;

namespace MiniGptMed.Dicom.Data;

/// <summary>A data element tag (group, element): PS3.5 7.1.</summary>
public readonly record struct DicomTag(ushort Group, ushort Element) : IComparable<DicomTag>
{
    public DicomTag(uint value)
        : this((ushort)(value >> 16), (ushort)value)
    {
    }

    public static readonly DicomTag Item = new(0xFFFE, 0xE000);
    public static readonly DicomTag ItemDelimitationItem = new(0xFFFE, 0xE00D);
    public static readonly DicomTag SequenceDelimitationItem = new(0xFFFE, 0xE0DD);

    public uint Value => ((uint)Group << 16) | Element;

    /// <summary>PS3.5 7.8.1: odd groups are private, except 0001, 0003, 0005, 0007 and FFFF, which may not be used.</summary>
    public bool IsPrivate => (Group & 1) == 1 && Group > 0x0007 && Group != 0xFFFF;

    /// <summary>PS3.5 7.8.1: (gggg,0010-00FF) in a private group reserve the block xx of (gggg,xx00-xxFF).</summary>
    public bool IsPrivateCreator => IsPrivate && Element is >= 0x0010 and <= 0x00FF;

    /// <summary>The tag of the private creator element that reserves this private element's block.</summary>
    public DicomTag PrivateCreatorTag => new(Group, (ushort)(Element >> 8));

    /// <summary>Item, item delimitation and sequence delimitation tags (group FFFE) are not data elements.</summary>
    public bool IsDelimiter => Group == 0xFFFE;

    /// <summary>PS3.5 7.2: group length elements (gggg,0000) are deprecated except in the command and meta groups.</summary>
    public bool IsGroupLength => Element == 0x0000;

    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    public static bool operator <(DicomTag left, DicomTag right) => left.Value < right.Value;

    public static bool operator >(DicomTag left, DicomTag right) => left.Value > right.Value;

    public static bool operator <=(DicomTag left, DicomTag right) => left.Value <= right.Value;

    public static bool operator >=(DicomTag left, DicomTag right) => left.Value >= right.Value;

    /// <summary>Parses "(0010,0010)", "0010,0010" or "00100010".</summary>
    public static DicomTag Parse(string text)
    {
        if (TryParse(text, out var tag))
        {
            return tag;
        }

        throw new FormatException($"'{text}' is not a DICOM tag (expected gggg,eeee in hexadecimal).");
    }

    public static bool TryParse(string? text, out DicomTag tag)
    {
        tag = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim().Trim('(', ')').Replace(",", string.Empty, StringComparison.Ordinal);
        if (s.Length != 8 || !uint.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        tag = new DicomTag(value);
        return true;
    }

    /// <summary>The form used in DICOM JSON (PS3.18 F.2.1.1): eight upper-case hex digits.</summary>
    public string ToJsonKey() => Value.ToString("X8", CultureInfo.InvariantCulture);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Group:X4},{Element:X4})");
}
