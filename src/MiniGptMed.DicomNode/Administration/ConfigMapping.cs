using MiniGptMed.DicomNode.Assembly;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Export;

namespace MiniGptMed.DicomNode.Administration;

/// <summary>
/// The one mapping between the stored items and the options sections they were seeded from and are overlaid on, both
/// directions of each type side by side: <see cref="ConfigSeed"/> reads appsettings.json through the <c>From</c>
/// methods, <see cref="ConfigOverlay"/> (and <c>destination echo</c>) give the stages options through the <c>To</c>
/// methods. A field added to an item and its options is mapped here once for both.
/// </summary>
internal static class ConfigMapping
{
    public static ListeningAe ToListeningAe(ListeningAeOptions listener, AeAssemblySettings assembly) => new()
    {
        AeTitle = listener.AeTitle.Trim(),
        RequireKnownSource = listener.RequireKnownSource,
        GroupBy = assembly.GroupBy,
        StableSeconds = (int)assembly.StableAfter.TotalSeconds,
        MaxWaitSeconds = (int)assembly.MaxWait.TotalSeconds,
        LateArrivals = assembly.LateArrivals,
    };

    public static ListeningAeOptions ToListenerOptions(ListeningAe ae) => new() { AeTitle = ae.AeTitle, RequireKnownSource = ae.RequireKnownSource };

    public static AeAssemblyOptions ToAssemblyOptions(ListeningAe ae) => new()
    {
        StableSeconds = ae.StableSeconds,
        MaxWaitSeconds = ae.MaxWaitSeconds,
        GroupBy = ae.GroupBy,
        LateArrivals = ae.LateArrivals,
    };

    public static Source ToSource(KnownSourceOptions source, string name) => new()
    {
        Name = name,
        AeTitle = source.AeTitle.Trim(),
        Addresses = [.. source.Addresses],
        CalledAes = [.. source.CalledAeTitles],
    };

    public static KnownSourceOptions ToSourceOptions(Source source) => new()
    {
        AeTitle = source.AeTitle,
        Addresses = [.. source.Addresses],
        CalledAeTitles = [.. source.CalledAes],
    };

    public static Destination ToDestination(DestinationOptions d) => new()
    {
        Name = d.Name,
        Type = d.Type,
        AeTitle = d.AeTitle,
        Host = d.Host,
        Port = d.Port,
        Path = d.Path,
        TlsCaFile = d.TlsCaFile,
        TlsCertificateFile = d.TlsCertificateFile,
        TlsKeyFile = d.TlsKeyFile,
        AttemptTimeoutSeconds = d.AttemptTimeoutSeconds,
        Retries = d.Retries,
        RetryDelayMilliseconds = d.RetryDelayMilliseconds,
        BreakAfterFailures = d.BreakAfterFailures,
        BreakSeconds = d.BreakSeconds,
    };

    /// <summary>A folder destination with no path writes into <paramref name="dataDirectory"/>.</summary>
    public static DestinationOptions ToDestinationOptions(Destination d, string dataDirectory) => new()
    {
        Name = d.Name,
        Type = d.Type,
        AeTitle = d.AeTitle,
        Host = d.Host,
        Port = d.Port,
        Path = d.Type == DestinationType.Folder && string.IsNullOrWhiteSpace(d.Path) ? dataDirectory : d.Path,
        TlsCaFile = d.TlsCaFile,
        TlsCertificateFile = d.TlsCertificateFile,
        TlsKeyFile = d.TlsKeyFile,
        AttemptTimeoutSeconds = d.AttemptTimeoutSeconds,
        Retries = d.Retries,
        RetryDelayMilliseconds = d.RetryDelayMilliseconds,
        BreakAfterFailures = d.BreakAfterFailures,
        BreakSeconds = d.BreakSeconds,
    };

    public static AnalysisRule ToRule(AnalysisRuleOptions r, int order) => new()
    {
        Name = r.Name,
        Order = order,
        CalledAes = [.. r.CalledAes],
        Modalities = [.. r.Modalities],
        BodyParts = [.. r.BodyParts],
        SopClasses = [.. r.SopClasses],
        SeriesDescriptions = [.. r.SeriesDescriptions],
        Tasks = [.. r.Tasks.Select(t => new RuleTask(t.Task, t.Prompt))],
        Window = r.Window,
        Slices = r.Slices,
        MaxImages = r.MaxImages,
    };

    public static AnalysisRuleOptions ToRuleOptions(AnalysisRule r) => new()
    {
        Name = r.Name,
        CalledAes = [.. r.CalledAes],
        Modalities = [.. r.Modalities],
        BodyParts = [.. r.BodyParts],
        SopClasses = [.. r.SopClasses],
        SeriesDescriptions = [.. r.SeriesDescriptions],
        Tasks = [.. r.Tasks.Select(t => new AnalysisTaskOptions { Task = t.Task, Prompt = t.Prompt })],
        Window = r.Window,
        Slices = r.Slices,
        MaxImages = r.MaxImages,
    };
}
