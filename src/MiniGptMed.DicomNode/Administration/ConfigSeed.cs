using MiniGptMed.DicomNode.Assembly;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Export;

namespace MiniGptMed.DicomNode.Administration;

/// <summary>
/// What appsettings.json says, as the database's first configuration (stored once: <see cref="SqlAdministration.SeedOnceAsync"/>).
/// Listening AEs take their assembly settings from <c>Assembly</c> (defaults and <c>AeTitles</c>); sources are named
/// after their AE title; no destination configured seeds the folder destination of the data folder (path empty);
/// no rule configured seeds the default rules, ordered 10, 20, ...
/// </summary>
public static class ConfigSeed
{
    public const string Actor = "appsettings";

    public static ConfigSnapshot From(ReceptionOptions reception, AssemblyOptions assembly, AnalysisRulesOptions rules, ExportOptions export)
    {
        var aes = reception.EffectiveListeningAes.Select(l =>
        {
            var title = l.AeTitle.Trim();
            var settings = assembly.For(title);
            return new ListeningAe
            {
                AeTitle = title,
                RequireKnownSource = l.RequireKnownSource,
                GroupBy = settings.GroupBy,
                StableSeconds = (int)settings.StableAfter.TotalSeconds,
                MaxWaitSeconds = (int)settings.MaxWait.TotalSeconds,
                LateArrivals = settings.LateArrivals,
            };
        }).ToList();

        var names = new HashSet<string>(StringComparer.Ordinal);
        var sources = reception.Sources.Select((s, i) => new Source
        {
            Name = UniqueName(names, s.AeTitle.Trim() is { Length: > 0 } t && t != "*" ? t.Replace(' ', '-') : $"source-{i + 1}"),
            AeTitle = s.AeTitle.Trim(),
            Addresses = [.. s.Addresses],
            CalledAes = [.. s.CalledAeTitles],
        }).ToList();

        var destinations = export.Destinations.Count == 0
            ? [new Destination { Name = ExportOptions.DefaultFolderName, Type = DestinationType.Folder, Path = "" }]
            : export.Destinations.Select(d => new Destination
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
            }).ToList();

        var analysisRules = rules.Effective.Select((r, i) => new AnalysisRule
        {
            Name = r.Name,
            Order = (i + 1) * 10,
            CalledAes = [.. r.CalledAes],
            Modalities = [.. r.Modalities],
            BodyParts = [.. r.BodyParts],
            SopClasses = [.. r.SopClasses],
            SeriesDescriptions = [.. r.SeriesDescriptions],
            Tasks = [.. r.Tasks.Select(t => new RuleTask(t.Task, t.Prompt))],
            Window = r.Window,
            Slices = r.Slices,
            MaxImages = r.MaxImages,
        }).ToList();

        return new ConfigSnapshot(0, aes, sources, destinations, analysisRules);
    }

    private static string UniqueName(HashSet<string> names, string name)
    {
        var candidate = name;
        for (var n = 2; !names.Add(candidate); n++)
        {
            candidate = $"{name}-{n}";
        }

        return candidate;
    }
}
