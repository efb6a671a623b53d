using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>
/// A coded entry (PS3.3 8.8, Code Sequence Macro Table 8.8-1): value, coding scheme designator, optional scheme
/// version, and meaning. The value is written as Code Value (SH, up to 16 characters), Long Code Value (UC) when
/// longer, or URN Code Value (UR) when it is a URN or URL (PS3.3 8.8.1.1 to 8.8.1.3).
/// </summary>
public sealed record CodedConcept(string Value, string Scheme, string Meaning, string? SchemeVersion = null)
{
    // PS3.5 Table 6.2-1: SH holds 16 characters, LO 64.
    private const int ShortStringMaxCharacters = 16;
    private const int LongStringMaxCharacters = 64;

    /// <summary>True when the value is a URN or URL, written as URN Code Value (0008,0120).</summary>
    public bool IsUrn => Value.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) || Value.Contains("://", StringComparison.Ordinal);

    /// <summary>Writes the code's attributes into <paramref name="item"/> (an item of a code sequence).</summary>
    /// <exception cref="ArgumentException">The code does not fit the macro (empty parts, too long, '\' or control characters).</exception>
    public void WriteTo(DicomDataset item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Validate();
        if (IsUrn)
        {
            item.AddOrUpdate(DicomTags.URNCodeValue, DicomVR.UR, Value);
        }
        else if (Value.Length > ShortStringMaxCharacters)
        {
            item.AddOrUpdate(DicomTags.LongCodeValue, DicomVR.UC, Value);
        }
        else
        {
            item.AddOrUpdate(DicomTags.CodeValue, DicomVR.SH, Value);
        }

        item.AddOrUpdate(DicomTags.CodingSchemeDesignator, DicomVR.SH, Scheme);
        if (!string.IsNullOrEmpty(SchemeVersion))
        {
            item.AddOrUpdate(DicomTags.CodingSchemeVersion, DicomVR.SH, SchemeVersion);
        }

        item.AddOrUpdate(DicomTags.CodeMeaning, DicomVR.LO, Meaning);
    }

    /// <summary>Adds a one-item code sequence <paramref name="tag"/> holding this code to <paramref name="dataset"/>.</summary>
    public void WriteAsSequence(DicomDataset dataset, DicomTag tag)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var item = SrDatasets.AppendItem(dataset, tag);
        WriteTo(item);
    }

    /// <summary>Reads a code from an item of a code sequence; null when it has no value or no scheme.</summary>
    public static CodedConcept? Read(DicomDataset item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var value = item.GetString(DicomTags.CodeValue);
        if (string.IsNullOrEmpty(value))
        {
            value = item.GetString(DicomTags.LongCodeValue);
        }

        if (string.IsNullOrEmpty(value))
        {
            value = item.GetString(DicomTags.URNCodeValue);
        }

        var scheme = item.GetString(DicomTags.CodingSchemeDesignator);
        if (string.IsNullOrEmpty(value) || string.IsNullOrEmpty(scheme))
        {
            return null;
        }

        var version = item.GetString(DicomTags.CodingSchemeVersion);
        return new CodedConcept(value, scheme, item.GetString(DicomTags.CodeMeaning) ?? string.Empty, string.IsNullOrEmpty(version) ? null : version);
    }

    /// <summary>The first item of code sequence <paramref name="tag"/>, or null.</summary>
    public static CodedConcept? ReadSequence(DicomDataset dataset, DicomTag tag)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var sequence = dataset.GetSequence(tag);
        return sequence is { Items.Count: > 0 } ? Read(sequence.Items[0]) : null;
    }

    /// <summary>Same code (value and scheme, PS3.3 8.8.1: the meaning is not part of the identity).</summary>
    public bool Matches(CodedConcept? other) =>
        other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal) && string.Equals(Scheme, other.Scheme, StringComparison.Ordinal);

    /// <summary>The form PS3.16 uses in its tables: (value, scheme, "meaning").</summary>
    public override string ToString() => $"({Value}, {Scheme}, \"{Meaning}\")";

    private void Validate()
    {
        if (string.IsNullOrEmpty(Value) || string.IsNullOrEmpty(Scheme) || string.IsNullOrEmpty(Meaning))
        {
            throw new ArgumentException($"Coded concept {this}: value, scheme designator and meaning are all required (PS3.3 8.8).");
        }

        if (Scheme.Length > ShortStringMaxCharacters || (SchemeVersion?.Length ?? 0) > ShortStringMaxCharacters || Meaning.Length > LongStringMaxCharacters)
        {
            throw new ArgumentException($"Coded concept {this}: the scheme designator and version hold 16 characters, the meaning 64 (PS3.3 8.8).");
        }

        if (HasForbiddenCharacter(Value) || HasForbiddenCharacter(Scheme) || HasForbiddenCharacter(Meaning) || HasForbiddenCharacter(SchemeVersion))
        {
            throw new ArgumentException($"Coded concept {this} contains '\\' or a control character, which SH, LO, UC and UR values cannot hold.");
        }
    }

    private static bool HasForbiddenCharacter(string? text) => text is not null && text.Any(c => c == '\\' || char.IsControl(c));
}
