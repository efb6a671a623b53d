using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace MiniGptMed.Dicom.Data;

/// <summary>
/// Vendors' private data elements (PS3.5 7.8), known by private creator, group and element byte,
/// from DCMTK's and pydicom's private dictionaries (see tools/gen_private_dictionary.py).
/// The generated string table is parsed once, on first lookup, into frozen dictionaries.
/// </summary>
public static partial class DicomPrivateDictionary
{
    private const ulong GroupRangeFlag = 1UL << 24;

    private static readonly Lazy<Tables> Lazy = new(Tables.Build);

    /// <summary>How many private data elements the dictionary knows.</summary>
    public static int Count => Lazy.Value.Entries.Count;

    /// <summary>
    /// Finds the entry of the private data element <paramref name="tag"/> (gggg,xxee) in the block of
    /// <paramref name="creator"/>. PS3.5 7.8.1: a creator's block may be reserved at any xx of its group,
    /// so only the group and the element byte ee identify the element. Trailing spaces and NULs of the
    /// creator value are padding (PS3.5 6.2); otherwise the creator must match exactly. An entry for
    /// one group is preferred to one for a range of groups (60xx). Null when unknown, and for tags that
    /// are not private data elements (public tags, private creators, (gggg,0001-000F)).
    /// </summary>
    public static DicomDictionaryEntry? Find(string creator, DicomTag tag)
    {
        ArgumentNullException.ThrowIfNull(creator);
        if (!tag.IsPrivate || tag.Element < 0x1000)
        {
            return null;
        }

        var tables = Lazy.Value;
        if (!tables.Creators.TryGetValue(creator.AsSpan().TrimEnd(" \0"), out var index))
        {
            return null;
        }

        var creatorKey = (ulong)index << 32 | (uint)(tag.Element & 0xFF);
        return tables.Entries.GetValueOrDefault(creatorKey | (uint)tag.Group << 8)
            ?? tables.Entries.GetValueOrDefault(creatorKey | GroupRangeFlag | (uint)(tag.Group & 0xFF00) << 8);
    }

    private static ulong Key(int creator, ushort group, bool isRange, byte element) =>
        (ulong)creator << 32 | (isRange ? GroupRangeFlag : 0) | (uint)group << 8 | element;

    /// <summary>The keyword split at word boundaries, as the generator did to leave the name out.</summary>
    private static string SplitKeyword(string keyword)
    {
        var name = new StringBuilder(keyword.Length + 8);
        for (var i = 0; i < keyword.Length; i++)
        {
            var c = keyword[i];
            if (i > 0 && char.IsAsciiLetterUpper(c))
            {
                var previous = keyword[i - 1];
                var nextIsLower = i + 1 < keyword.Length && char.IsAsciiLetterLower(keyword[i + 1]);
                if (char.IsAsciiLetterLower(previous) || char.IsAsciiDigit(previous) || (char.IsAsciiLetterUpper(previous) && nextIsLower))
                {
                    name.Append(' ');
                }
            }

            name.Append(c);
        }

        return name.ToString();
    }

    private sealed class Tables(
        FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> creators,
        FrozenDictionary<ulong, DicomDictionaryEntry> entries)
    {
        public FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Creators { get; } = creators;

        // Key: creator index << 32 | group-range flag << 24 | group << 8 | element byte.
        public FrozenDictionary<ulong, DicomDictionaryEntry> Entries { get; } = entries;

        public static Tables Build()
        {
            var creators = new Dictionary<string, int>(StringComparer.Ordinal);
            var entries = new Dictionary<ulong, DicomDictionaryEntry>();
            var creator = -1;
            foreach (var line in Table.AsSpan().EnumerateLines())
            {
                if (line.IsEmpty)
                {
                    continue;
                }

                if (line[0] == '@')
                {
                    creator = creators.Count;
                    creators.Add(line[1..].ToString(), creator);
                    continue;
                }

                var fields = line.ToString().Split('\t');
                var isRange = fields[0].EndsWith("xx", StringComparison.Ordinal);
                var group = ushort.Parse(isRange ? fields[0][..2] + "00" : fields[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                var element = byte.Parse(fields[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                var keyword = fields.Length > 4 ? fields[4] : string.Empty;
                var name = fields.Length > 5 ? fields[5] : SplitKeyword(keyword);

                // The entry's tag is (gggg,00ee) with the block byte (and for 60xx ranges the group's low
                // byte) masked out, so DicomDictionaryEntry.Matches accepts every (gggg,xxee).
                var tag = (uint)group << 16 | element;
                var mask = isRange ? 0xFF0000FFu : 0xFFFF00FFu;
                entries.Add(Key(creator, group, isRange, element), new DicomDictionaryEntry(tag, mask, fields[2], fields[3], keyword, name, isRetired: false));
            }

            return new Tables(
                creators.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>(),
                entries.ToFrozenDictionary());
        }
    }
}
