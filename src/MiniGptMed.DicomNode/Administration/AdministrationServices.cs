using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Assembly;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Export;

namespace MiniGptMed.DicomNode.Administration;

/// <summary>Dependency-injection wiring of the administrable configuration.</summary>
public static class AdministrationServices
{
    /// <summary>
    /// Registers <see cref="IAdministration"/> (the node database's), the snapshot cache, the overlay of the stages'
    /// options and the service that seeds, loads and follows the configuration. Register after
    /// <c>AddNodeDatabase</c> and before the stages (hosted services start in registration order).
    /// <paramref name="keepListeningAes"/>: <c>serve --aet</c> was given; its AE is answered alone for that run.
    /// </summary>
    public static IServiceCollection AddNodeAdministration(this IServiceCollection services, IConfiguration configuration, bool keepListeningAes)
    {
        services.AddOptions<AdministrationOptions>().Bind(configuration.GetSection(AdministrationOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdministrationOptions>, AdministrationOptionsValidator>();
        services.AddSingleton<ConfigSnapshotCache>();
        services.AddSingleton(sp => sp.GetRequiredService<NodeDatabase>().Administration);
        services.AddSingleton(sp => sp.GetRequiredService<NodeDatabase>().SqlAdministration);
        services.AddSingleton(sp => new ConfigOverlay(sp.GetRequiredService<ConfigSnapshotCache>(), sp.GetRequiredService<IOptionsMonitor<StorageOptions>>(), keepListeningAes));
        Overlay<ReceptionOptions>(services);
        Overlay<AssemblyOptions>(services);
        Overlay<AnalysisRulesOptions>(services);
        Overlay<ExportOptions>(services);
        services.AddHostedService(sp => new AdministrationService(
            sp.GetRequiredService<SqlAdministration>(), sp.GetRequiredService<ConfigSnapshotCache>(),
            sp.GetRequiredService<IOptionsMonitor<ReceptionOptions>>(), sp.GetRequiredService<IOptionsMonitor<AssemblyOptions>>(),
            sp.GetRequiredService<IOptionsMonitor<AnalysisRulesOptions>>(), sp.GetRequiredService<IOptionsMonitor<ExportOptions>>(),
            sp.GetRequiredService<IOptionsMonitor<AdministrationOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AdministrationService>>()));
        return services;
    }

    private static void Overlay<TOptions>(IServiceCollection services) where TOptions : class
    {
        services.AddSingleton<IPostConfigureOptions<TOptions>>(sp => (IPostConfigureOptions<TOptions>)(object)sp.GetRequiredService<ConfigOverlay>());
        services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(sp => new SnapshotChangeTokenSource<TOptions>(sp.GetRequiredService<ConfigSnapshotCache>()));
    }
}
