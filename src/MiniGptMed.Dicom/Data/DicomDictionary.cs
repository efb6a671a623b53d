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

    // Separate from the tag tables: the readers never look up keywords, so they need not wait for it.
    private static readonly Lazy<FrozenDictionary<string, DicomDictionaryEntry>> KeywordLazy = new(() =>
        Lazy.Value.All.Where(e => e.Keyword.Length > 0).ToFrozenDictionary(e => e.Keyword, StringComparer.Ordinal));

    /// <summary>Every entry, single tags and repeating groups, in tag order.</summary>
    public static IReadOnlyList<DicomDictionaryEntry> Entries => Lazy.Value.All;

    /// <summary>
    /// Finds the entry of a tag: an exact public tag first, then the masked repeating groups.
    /// Private tags give null except private creators (gggg,0010-00FF), which are LO (PS3.5 7.8.1);
    /// any (gggg,0000) not in the dictionary is a UL group length (PS3.5 7.2). Those two are shared
    /// entries whose <see cref="DicomDictionaryEntry.Tag"/> is a template, not the tag asked for.
    /// </summary>
    public static DicomDictionaryEntry? Find(DicomTag tag)
    {
        if (tag.IsPrivate)
        {
            return tag.IsPrivateCreator ? PrivateCreator : tag.IsGroupLength ? GroupLength : null;
        }

        var tables = Lazy.Value;
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
        KeywordLazy.Value.GetValueOrDefault(keyword);

    /// <summary>The VR an implicit VR reader uses (PS3.5 A.1): the dictionary's first VR, UN when unknown.</summary>
    public static DicomVR DefaultVR(DicomTag tag) => Find(tag)?.DefaultVR ?? DicomVR.UN;

    private sealed class Tables
    {
        private Tables(
            DicomDictionaryEntry[] all,
            FrozenDictionary<uint, DicomDictionaryEntry> exact,
            (uint Mask, FrozenDictionary<uint, DicomDictionaryEntry> ByMaskedTag)[] masked)
        {
            All = all;
            Exact = exact;
            Masked = masked;
        }

        public DicomDictionaryEntry[] All { get; }

        public FrozenDictionary<uint, DicomDictionaryEntry> Exact { get; }

        // A handful of distinct masks (FF00FFFF, FFFFFF00, FFFF000F, ...): one frozen table each,
        // tried from the most to the least specific mask.
        public (uint Mask, FrozenDictionary<uint, DicomDictionaryEntry> ByMaskedTag)[] Masked { get; }

        public static Tables Build()
        {
            var all = ParseTable();
            var exact = all.Where(e => !e.IsRepeatingGroup).ToFrozenDictionary(e => e.Tag.Value);
            var masked = all
                .Where(e => e.IsRepeatingGroup)
                .GroupBy(e => e.Mask)
                .OrderByDescending(g => uint.PopCount(g.Key))
                .Select(g => (g.Key, g.ToFrozenDictionary(e => e.Tag.Value)))
                .ToArray();
            return new Tables(all, exact, masked);
        }

        // Reads the generated Table: "60xx3000|OB or OW|1|OverlayData|Overlay Data|" per line,
        // where each 'x' is a hex digit the mask ignores.
        private static DicomDictionaryEntry[] ParseTable()
        {
            var vrLists = new Dictionary<string, DicomVR[]>(StringComparer.Ordinal);
            var entries = new List<DicomDictionaryEntry>(5200);
            Span<Range> fields = stackalloc Range[7];
            foreach (var line in Table.AsSpan().EnumerateLines())
            {
                if (line.Split(fields, '|') != 6)
                {
                    throw new InvalidOperationException($"Generated dictionary line '{line}' does not have six fields.");
                }

                var key = line[fields[0]];
                uint tag = 0, mask = 0;
                foreach (var digit in key)
                {
                    tag = (tag << 4) | (digit == 'x' ? 0u : (uint)(digit <= '9' ? digit - '0' : digit - 'A' + 10));
                    mask = (mask << 4) | (digit == 'x' ? 0u : 0xFu);
                }

                var vrText = line[fields[1]].ToString();
                if (!vrLists.TryGetValue(vrText, out var vrs))
                {
                    vrs = DicomDictionaryEntry.ParseVRs(vrText);
                    vrLists.Add(vrText, vrs);
                }

                entries.Add(new DicomDictionaryEntry(
                    tag,
                    mask,
                    vrs,
                    string.Intern(line[fields[2]].ToString()),
                    line[fields[3]].ToString(),
                    line[fields[4]].ToString(),
                    line[fields[5]] is "R"));
            }

            return [.. entries];
        }
    }
}
