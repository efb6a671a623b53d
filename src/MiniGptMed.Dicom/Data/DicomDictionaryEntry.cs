namespace MiniGptMed.Dicom.Data;

/// <summary>One row of the PS3.6 data dictionary (Tables 6-1, 7-1, 8-1, 9-1).</summary>
public sealed class DicomDictionaryEntry
{
    internal DicomDictionaryEntry(uint tag, uint mask, string valueRepresentations, string valueMultiplicity, string keyword, string name, bool isRetired)
        : this(tag, mask, ParseVRs(valueRepresentations), valueMultiplicity, keyword, name, isRetired)
    {
    }

    internal DicomDictionaryEntry(uint tag, uint mask, DicomVR[] valueRepresentations, string valueMultiplicity, string keyword, string name, bool isRetired)
    {
        Tag = new DicomTag(tag);
        Mask = mask;
        ValueRepresentations = valueRepresentations;
        ValueMultiplicity = valueMultiplicity;
        Keyword = keyword;
        Name = name;
        IsRetired = isRetired;
    }

    /// <summary>The tag; for a repeating group the first one (e.g. (6000,0010) for Overlay Rows).</summary>
    public DicomTag Tag { get; }

    /// <summary>
    /// The bits of a tag that must equal <see cref="Tag"/>: 0xFFFFFFFF for a single tag,
    /// 0xFF00FFFF for the 50xx/60xx/7Fxx repeating groups (PS3.5 7.6), and so on.
    /// </summary>
    public uint Mask { get; }

    public bool IsRepeatingGroup => Mask != 0xFFFFFFFF;

    /// <summary>
    /// The VRs PS3.6 allows ("US or SS" gives two); the first is the default.
    /// Empty for the item and delimitation tags (FFFE,xxxx), which have no VR (PS3.5 7.5).
    /// </summary>
    public IReadOnlyList<DicomVR> ValueRepresentations { get; }

    /// <summary>The VR to use when the encoding does not say (implicit VR): the first listed, or UN.</summary>
    public DicomVR DefaultVR => ValueRepresentations.Count > 0 ? ValueRepresentations[0] : DicomVR.UN;

    /// <summary>PS3.6 value multiplicity as written there: "1", "1-n", "2-2n", ...</summary>
    public string ValueMultiplicity { get; }

    /// <summary>The PS3.6 keyword, empty for the few retired elements that have none.</summary>
    public string Keyword { get; }

    public string Name { get; }

    public bool IsRetired { get; }

    public bool Matches(DicomTag tag) => (tag.Value & Mask) == Tag.Value;

    public override string ToString() => $"{Tag} {Keyword} {string.Join(" or ", ValueRepresentations)} VM {ValueMultiplicity}";

    internal static DicomVR[] ParseVRs(string text) =>
        text.Length == 0
            ? []
            : text.Split(" or ").Select(DicomVR.Parse).ToArray();
}
