using System.Collections.Frozen;

namespace MiniGptMed.Dicom.Data;

/// <summary>
/// The PS3.6 data dictionary of public tags, generated from a machine-readable copy of the
/// standard (see tools/gen_dictionary.py). Built once, on first use, into frozen dictionaries.
/// </summary>
public static partial class DicomDictionary
{
    private static readonly DicomDictionaryEntry GroupLength =
        new(0x00000000, 0x0000FFFF, "UL", "1", "GroupLength", "Group Length", false);

    // Matches odd groups with element 00xx; Find checks the exact range (gggg,0010-00FF) first.
    private static readonly DicomDictionaryEntry PrivateCreator =
        new(0x00010000, 0x0001FF00, "LO", "1", "PrivateCreator", "Private Creator", false);

    private static readonly Lazy<Tables> Lazy = new(Tables.Build);

    /// <summary>Every entry, single tags and repeating groups, in tag order.</summary>
    public static IReadOnlyList<DicomDictionaryEntry> Entries => Lazy.Value.All;

    /// <summary>
    /// Finds the entry of a tag: an exact public tag first, then the masked repeating groups.
    /// Private tags give null except private creators (gggg,0010-00FF), which are LO (PS3.5 7.8.1);
    /// any (gggg,0000) not in the dictionary is a UL group length (PS3.5 7.2).
    /// </summary>
    public static DicomDictionaryEntry? Find(DicomTag tag)
    {
        var tables = Lazy.Value;
        if (tag.IsPrivate)
        {
            return tag.IsPrivateCreator ? PrivateCreator : tag.IsGroupLength ? GroupLength : null;
        }

        if (tables.Exact.TryGetValue(tag.Value, out var entry))
        {
            return entry;
        }

        foreach (var (mask, byMaskedTag) in tables.Masked)
        {
            if (byMaskedTag.TryGetValue(tag.Value & mask, out entry))
            {
                return entry;
            }
        }

        return tag.IsGroupLength ? GroupLength : null;
    }

    /// <summary>Finds an entry by its PS3.6 keyword (case-sensitive, as the keywords are).</summary>
    public static DicomDictionaryEntry? FindByKeyword(string keyword) =>
        Lazy.Value.ByKeyword.GetValueOrDefault(keyword);

    /// <summary>The VR an implicit VR reader uses (PS3.5 A.1): the dictionary's first VR, UN when unknown.</summary>
    public static DicomVR DefaultVR(DicomTag tag) => Find(tag)?.DefaultVR ?? DicomVR.UN;

    private sealed class Tables
    {
        private Tables(
            DicomDictionaryEntry[] all,
            FrozenDictionary<uint, DicomDictionaryEntry> exact,
            (uint Mask, FrozenDictionary<uint, DicomDictionaryEntry> ByMaskedTag)[] masked,
            FrozenDictionary<string, DicomDictionaryEntry> byKeyword)
        {
            All = all;
            Exact = exact;
            Masked = masked;
            ByKeyword = byKeyword;
        }

        public DicomDictionaryEntry[] All { get; }

        public FrozenDictionary<uint, DicomDictionaryEntry> Exact { get; }

        // A handful of distinct masks (FF00FFFF, FFFFFF00, FFFF000F, ...): one frozen table each,
        // tried from the most to the least specific mask.
        public (uint Mask, FrozenDictionary<uint, DicomDictionaryEntry> ByMaskedTag)[] Masked { get; }

        public FrozenDictionary<string, DicomDictionaryEntry> ByKeyword { get; }

        public static Tables Build()
        {
            var all = CreateEntries();
            var exact = all.Where(e => !e.IsRepeatingGroup).ToFrozenDictionary(e => e.Tag.Value);
            var masked = all
                .Where(e => e.IsRepeatingGroup)
                .GroupBy(e => e.Mask)
                .OrderByDescending(g => uint.PopCount(g.Key))
                .Select(g => (g.Key, g.ToFrozenDictionary(e => e.Tag.Value)))
                .ToArray();
            var byKeyword = all
                .Where(e => e.Keyword.Length > 0)
                .ToFrozenDictionary(e => e.Keyword, StringComparer.Ordinal);
            return new Tables(all, exact, masked, byKeyword);
        }
    }
}
