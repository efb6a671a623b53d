namespace MiniGptMed.Dicom.Data;

/// <summary>
/// A person name (PS3.5 6.2.1): up to three component groups separated by '=' (alphabetic,
/// ideographic, phonetic), each of up to five components separated by '^'
/// (family, given, middle, prefix, suffix).
/// </summary>
public sealed record DicomPersonName(string Alphabetic, string Ideographic, string Phonetic)
{
    public static DicomPersonName Parse(string value)
    {
        var groups = value.Split('=');
        return new DicomPersonName(
            groups.Length > 0 ? groups[0] : string.Empty,
            groups.Length > 1 ? groups[1] : string.Empty,
            groups.Length > 2 ? groups[2] : string.Empty);
    }

    public string FamilyName => Component(Alphabetic, 0);

    public string GivenName => Component(Alphabetic, 1);

    public string MiddleName => Component(Alphabetic, 2);

    public string NamePrefix => Component(Alphabetic, 3);

    public string NameSuffix => Component(Alphabetic, 4);

    /// <summary>Component <paramref name="index"/> (0 = family .. 4 = suffix) of a component group.</summary>
    public static string Component(string group, int index)
    {
        var parts = group.Split('^');
        return index < parts.Length ? parts[index] : string.Empty;
    }

    /// <summary>The encoded form, without trailing empty groups (PS3.5 6.2.1.1).</summary>
    public override string ToString()
    {
        if (Phonetic.Length > 0)
        {
            return $"{Alphabetic}={Ideographic}={Phonetic}";
        }

        return Ideographic.Length > 0 ? $"{Alphabetic}={Ideographic}" : Alphabetic;
    }
}
