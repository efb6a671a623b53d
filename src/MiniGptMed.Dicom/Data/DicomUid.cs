using System.Collections.Frozen;

namespace MiniGptMed.Dicom.Data;

/// <summary>A UID of PS3.6 Annex A (or any other UID met on the wire, with <see cref="DicomUidType.Other"/>).</summary>
public sealed partial class DicomUid : IEquatable<DicomUid>
{
    // The generated properties index into this array, parsed once from the generated Table.
    private static readonly DicomUid[] Known = ParseTable();

    private static readonly Lazy<FrozenDictionary<string, DicomUid>> ByValue =
        new(() => Known.ToFrozenDictionary(u => u.Value, StringComparer.Ordinal));

    private static readonly Lazy<DicomUid[]> StorageList =
        new(() => ByValue.Value.Values.Where(u => u.IsStorageSopClass).OrderBy(u => u.Value, StringComparer.Ordinal).ToArray());

    private DicomUid(string value, string name, string keyword, DicomUidType type, bool isRetired, bool isStorageSopClass)
    {
        Value = value;
        Name = name;
        Keyword = keyword;
        Type = type;
        IsRetired = isRetired;
        IsStorageSopClass = isStorageSopClass;
    }

    /// <summary>The dotted-decimal UID, without padding.</summary>
    public string Value { get; }

    public string Name { get; }

    public string Keyword { get; }

    public DicomUidType Type { get; }

    public bool IsRetired { get; }

    /// <summary>
    /// A SOP class of the Storage Service Class or its kin (images, "- For Presentation"/"- For Processing",
    /// SR, encapsulated documents, raw data, ...), which a storage SCP accepts (PS3.4 B.5);
    /// not Storage Commitment, Storage Management or the Print Management classes.
    /// </summary>
    public bool IsStorageSopClass { get; }

    public bool IsTransferSyntax => Type == DicomUidType.TransferSyntax;

    /// <summary>Every UID of PS3.6 Annex A.</summary>
    public static IEnumerable<DicomUid> All => ByValue.Value.Values;

    public static IEnumerable<DicomUid> StorageSopClasses => StorageList.Value;

    /// <summary>Looks up a UID of PS3.6 Annex A; trailing NUL or space padding (PS3.5 9.1) is ignored.</summary>
    public static DicomUid? Find(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        return ByValue.Value.GetValueOrDefault(uid.TrimEnd('\0', ' '));
    }

    /// <summary>The known UID, or a new one of type Other named by its value.</summary>
    public static DicomUid Get(string uid) =>
        Find(uid) ?? new DicomUid(uid.TrimEnd('\0', ' '), uid.TrimEnd('\0', ' '), string.Empty, DicomUidType.Other, false, false);

    /// <summary>
    /// PS3.5 9.1: components of digits separated by '.', no component empty or with a leading zero
    /// (a lone "0" is fine), at most 64 characters.
    /// </summary>
    public static bool IsValid(string? uid)
    {
        if (string.IsNullOrEmpty(uid) || uid.Length > 64)
        {
            return false;
        }

        var componentStart = 0;
        for (var i = 0; i <= uid.Length; i++)
        {
            if (i == uid.Length || uid[i] == '.')
            {
                var length = i - componentStart;
                if (length == 0 || (length > 1 && uid[componentStart] == '0'))
                {
                    return false;
                }

                componentStart = i + 1;
            }
            else if (!char.IsAsciiDigit(uid[i]))
            {
                return false;
            }
        }

        return true;
    }

    // "1.2.840.10008.5.1.4.1.1.2|CT Image Storage|CTImageStorage|SopClass||S" per line.
    private static DicomUid[] ParseTable()
    {
        var uids = new List<DicomUid>(500);
        Span<Range> fields = stackalloc Range[7];
        foreach (var line in Table.AsSpan().EnumerateLines())
        {
            if (line.Split(fields, '|') != 6)
            {
                throw new InvalidOperationException($"Generated UID line '{line}' does not have six fields.");
            }

            uids.Add(new DicomUid(
                line[fields[0]].ToString(),
                line[fields[1]].ToString(),
                line[fields[2]].ToString(),
                Enum.Parse<DicomUidType>(line[fields[3]]),
                line[fields[4]] is "R",
                line[fields[5]] is "S"));
        }

        return [.. uids];
    }

    public bool Equals(DicomUid? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is DicomUid other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public override string ToString() => Keyword.Length > 0 ? $"{Value} ({Name})" : Value;
}
