using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Assembly;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Export;

namespace MiniGptMed.DicomNode.Administration;

/// <summary>
/// Puts the database's configuration into the options the stages read, so that they keep reading
/// <c>IOptionsMonitor&lt;T&gt;.CurrentValue</c> (a cached object: nothing is queried per association) and see a
/// change at their next read: reception's listening AEs and sources, assembly's per-AE settings, the analysis
/// rules (per AE), the export destinations (per AE). The rest of each section still comes from appsettings.json.
/// </summary>
internal sealed class ConfigOverlay(ConfigSnapshotCache cache, IOptionsMonitor<StorageOptions> storage, bool keepListeningAes) :
    IPostConfigureOptions<ReceptionOptions>,
    IPostConfigureOptions<AssemblyOptions>,
    IPostConfigureOptions<AnalysisRulesOptions>,
    IPostConfigureOptions<ExportOptions>
{
    public void PostConfigure(string? name, ReceptionOptions options)
    {
        if (cache.Current is not { } snapshot)
        {
            return;
        }

        // `serve --aet X` answers X alone for that run (its per-AE settings still come from the database).
        if (!keepListeningAes)
        {
            options.ListeningAes = [.. snapshot.Aes.Select(ConfigMapping.ToListenerOptions)];
        }

        options.Sources = [.. snapshot.Sources.Select(ConfigMapping.ToSourceOptions)];
    }

    public void PostConfigure(string? name, AssemblyOptions options)
    {
        if (cache.Current is not { } snapshot)
        {
            return;
        }

        options.AeTitles = snapshot.Aes.ToDictionary(ae => ae.AeTitle, ConfigMapping.ToAssemblyOptions, StringComparer.Ordinal);
    }

    public void PostConfigure(string? name, AnalysisRulesOptions options)
    {
        if (cache.Current is not { } snapshot)
        {
            return;
        }

        options.FromDatabase = true;
        options.Rules = [.. snapshot.Rules.Select(ConfigMapping.ToRuleOptions)];
        options.AeRules = snapshot.Aes.Where(ae => ae.Rules.Count > 0).ToDictionary(ae => ae.AeTitle, ae => ae.Rules.ToList(), StringComparer.Ordinal);
    }

    public void PostConfigure(string? name, ExportOptions options)
    {
        if (cache.Current is not { } snapshot)
        {
            return;
        }

        var dataDirectory = storage.CurrentValue.DataDirectory;
        options.Destinations = [.. snapshot.Destinations.Select(d => ConfigMapping.ToDestinationOptions(d, dataDirectory))];
        options.AeDestinations = snapshot.Aes.Where(ae => ae.Destinations.Count > 0).ToDictionary(ae => ae.AeTitle, ae => ae.Destinations.ToList(), StringComparer.Ordinal);
    }
}
