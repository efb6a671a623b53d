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
        var aes = reception.EffectiveListeningAes.Select(l => ConfigMapping.ToListeningAe(l, assembly.For(l.AeTitle.Trim()))).ToList();

        var names = new HashSet<string>(StringComparer.Ordinal);
        var sources = reception.Sources.Select((s, i) =>
            ConfigMapping.ToSource(s, UniqueName(names, s.AeTitle.Trim() is { Length: > 0 } t && t != "*" ? t.Replace(' ', '-') : $"source-{i + 1}"))).ToList();

        var destinations = export.Destinations.Count == 0
            ? [new Destination { Name = ExportOptions.DefaultFolderName, Type = DestinationType.Folder, Path = "" }]
            : export.Destinations.Select(ConfigMapping.ToDestination).ToList();

        var analysisRules = rules.Effective.Select((r, i) => ConfigMapping.ToRule(r, (i + 1) * 10)).ToList();

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
