namespace MiniGptMed.DicomNode.Administration;

/// <summary>The whole administrable configuration at one <see cref="Version"/>; immutable, shared by the stages.</summary>
public sealed record ConfigSnapshot(
    long Version,
    IReadOnlyList<ListeningAe> Aes,
    IReadOnlyList<Source> Sources,
    IReadOnlyList<Destination> Destinations,
    IReadOnlyList<AnalysisRule> Rules)
{
    public static ConfigSnapshot Empty { get; } = new(0, [], [], [], []);

    public ListeningAe? Ae(string aeTitle) => Aes.FirstOrDefault(a => string.Equals(a.AeTitle, aeTitle.Trim(), StringComparison.Ordinal));
}
