namespace MiniGptMed.DicomNode.Administration;

/// <summary>
/// Stored forms: AE titles without their padding (PS3.5 6.2: leading and trailing spaces are not significant), names
/// and addresses trimmed, null lists (a JSON body without the field) as empty ones.
/// </summary>
public static class ConfigNormalization
{
    public static T Normalize<T>(T item) => item switch
    {
        ListeningAe ae => (T)(object)(ae with
        {
            AeTitle = Trim(ae.AeTitle),
            Rules = TrimAll(ae.Rules),
            Destinations = TrimAll(ae.Destinations),
        }),
        Source s => (T)(object)(s with
        {
            Name = Trim(s.Name),
            AeTitle = Trim(s.AeTitle),
            Addresses = TrimAll(s.Addresses),
            CalledAes = TrimAll(s.CalledAes),
        }),
        Destination d => (T)(object)(d with { Name = Trim(d.Name), AeTitle = Trim(d.AeTitle), Host = Trim(d.Host), Path = d.Path ?? "" }),
        AnalysisRule r => (T)(object)(r with
        {
            Name = Trim(r.Name),
            CalledAes = TrimAll(r.CalledAes),
            Modalities = r.Modalities ?? [],
            BodyParts = r.BodyParts ?? [],
            SopClasses = r.SopClasses ?? [],
            SeriesDescriptions = r.SeriesDescriptions ?? [],
            Tasks = r.Tasks ?? [],
            Window = r.Window ?? "dataset",
            Slices = r.Slices ?? "all",
        }),
        _ => item,
    };

    // A value that is too long stays too long: validation reports it instead of a silent cut.
    private static string Trim(string? value) => value?.Trim() ?? "";

    private static IReadOnlyList<string> TrimAll(IReadOnlyList<string>? values) => values is null ? [] : [.. values.Select(Trim)];
}
