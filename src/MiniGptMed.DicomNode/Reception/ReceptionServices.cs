using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.DicomNode.Audit;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Configuration;

namespace MiniGptMed.DicomNode.Reception;

/// <summary>
/// Dependency-injection wiring of the Reception stage: the store, the catalogue-recording seam, the DIMSE handler
/// factory and the listener service, each a singleton a test or another host can replace before the stage is built.
/// </summary>
internal static class ReceptionServices
{
    /// <summary>
    /// Registers, unless already registered: <see cref="IStoredInstanceSink"/> (<see cref="CatalogueRecorder"/>, over
    /// <see cref="ICatalogue"/>), <see cref="FileSystemStoreService"/> (and as <see cref="IDicomStoreService"/>),
    /// <see cref="StoredFiles"/>, <see cref="IPresentationDataHandlerFactory"/> (audited when the audit trail is on),
    /// and <see cref="ReceptionService"/> as a hosted service. Needs the options, <see cref="AccessRulesProvider"/>,
    /// <see cref="AuditTrail"/>, <see cref="TimeProvider"/> and <see cref="ICatalogue"/>.
    /// </summary>
    public static IServiceCollection AddReception(this IServiceCollection services)
    {
        services.TryAddSingleton<IStoredInstanceSink>(sp => new CatalogueRecorder(sp.GetRequiredService<ICatalogue>()));
        services.TryAddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptionsMonitor<StorageOptions>>().CurrentValue;
            // Built at first use, which is the host's start: recovery of .incoming runs here, before the listener opens.
            return new FileSystemStoreService(
                new FileSystemStoreOptions
                {
                    RootDirectory = Path.GetFullPath(storage.DataDirectory),
                    FlushToDisk = storage.FlushToDisk,
                    MinimumFreeBytes = storage.MinimumFreeMegabytes * 1024 * 1024,
                    KeepUnfitPixelData = storage.KeepUnfitPixelData,
                    Time = sp.GetService<TimeProvider>() ?? TimeProvider.System,
                },
                sp.GetRequiredService<ILogger<FileSystemStoreService>>(),
                sp.GetRequiredService<IStoredInstanceSink>());
        });
        services.TryAddSingleton<IDicomStoreService>(sp => sp.GetRequiredService<FileSystemStoreService>());
        services.TryAddSingleton(sp => new StoredFiles(sp.GetRequiredService<FileSystemStoreService>().InstancesDirectory, sp.GetRequiredService<ILogger<StoredFiles>>()));
        services.TryAddSingleton<IPresentationDataHandlerFactory>(sp =>
        {
            var store = sp.GetRequiredService<FileSystemStoreService>();
            var audit = sp.GetRequiredService<AuditTrail>();
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            IPresentationDataHandlerFactory Handlers(IDicomStoreService s) =>
                new DimseServiceHandlerFactory(new VerificationService(), s, loggers.CreateLogger<DimseServiceHandlerFactory>());
            var catalogue = sp.GetRequiredService<ICatalogue>();
            async ValueTask<string?> StoredPath(string sop, CancellationToken cancellationToken) =>
                (await catalogue.InstanceAsync(sop, cancellationToken).ConfigureAwait(false))?.Path;
            var handlers = audit.Enabled
                ? new StudyTransferAudit(store, Handlers, audit, StoredPath, loggers.CreateLogger<StudyTransferAudit>())
                : Handlers(sp.GetRequiredService<IDicomStoreService>());
            // The associations open now, for the console and the API (one registration per association, not per PDU).
            return sp.GetRequiredService<AssociationRegistry>().Track(handlers);
        });
        services.TryAddSingleton(sp => new AssociationRegistry(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton<ReceptionService>();
        services.AddHostedService(sp => sp.GetRequiredService<ReceptionService>());
        return services;
    }
}
