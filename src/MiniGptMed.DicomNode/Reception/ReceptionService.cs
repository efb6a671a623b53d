using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.Dicom.Imaging.Codecs;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Admission;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.DicomNode.Audit;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Configuration;

namespace MiniGptMed.DicomNode.Reception;

/// <summary>
/// The Reception stage: the storage SCP (C-ECHO, C-STORE) on the configured port. The socket is bound in
/// <see cref="StartAsync"/>, so a busy port stops the host at start rather than failing later in the background.
/// </summary>
/// <remarks>
/// The store, the handler factory and the catalogue seam come from dependency injection
/// (<see cref="ReceptionServices.AddReception"/>). At start, before the listener opens: the store's construction has
/// recovered <c>.incoming</c>, then the catalogue is reconciled with the sealed files (<see cref="StoredFiles"/>), so
/// a node that died between a file and its row loses nothing.
/// </remarks>
internal sealed class ReceptionService(
    IOptionsMonitor<ReceptionOptions> reception,
    IOptionsMonitor<StorageOptions> storage,
    AccessRulesProvider accessRules,
    AuditTrail audit,
    FileSystemStoreService store,
    IPresentationDataHandlerFactory handlers,
    ICatalogue catalogue,
    StoredFiles storedFiles,
    ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<ReceptionService>();
    private DicomListener? _listener;
    private DicomListener? _tlsListener;
    private FileSystemStoreService? _store;
    private string? _dataDirectory;

    public IPEndPoint LocalEndPoint => (_listener ?? _tlsListener)?.LocalEndPoint ?? throw new InvalidOperationException("Reception has not started.");

    /// <summary>The DICOM TLS port's end point, when <c>Reception:Tls</c> is configured.</summary>
    public IPEndPoint? TlsEndPoint => _tlsListener?.LocalEndPoint;

    /// <summary>Where instances go, as read at start (storage options are not reloaded).</summary>
    public string DataDirectory => _dataDirectory ?? throw new InvalidOperationException("Reception has not started.");

    /// <summary>The catalogue's reconciliation with the sealed files at start.</summary>
    public ReconcileResult? Reconciled { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Read once: only the access rules follow configuration edits (AccessRulesProvider).
        var options = reception.CurrentValue;
        var storageOptions = storage.CurrentValue;
        _dataDirectory = Path.GetFullPath(storageOptions.DataDirectory);
        // Kept before the listener starts, so that a busy port (Start throws) still stops the store's pool worker
        // when the host disposes this service.
        _store = store;
        // The files are the truth: rows a crash lost (file sealed, row not committed) come back before any peer can
        // ask about them or send again; rows of files that are gone go. Counts only in the log (DatabaseLog).
        Reconciled = await catalogue.ReconcileAsync(storedFiles.EnumerateAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        var listenerOptions = new DicomListenerOptions
        {
            EndPoint = new IPEndPoint(IPAddress.IPv6Any, options.Port),
            MaxAssociations = options.MaxAssociations,
            Admission = new AdmissionOptions
            {
                MaxAssociationsPerAddress = options.MaxAssociationsPerAddress,
                MaxAssociationsPerCallingAe = options.MaxAssociationsPerCallingAe,
                ReleaseIdleWhenFullAfter = TimeSpan.FromSeconds(options.ReleaseIdleWhenFullSeconds),
                // The access rules at accept: an address no rule admits is closed before it takes a slot.
                AddressFilter = address => KnownSourcesAssociationPolicy.AdmitsAddress(accessRules.Current(), address),
            },
        };
        listenerOptions.Association.MaxReceivePduLength = options.MaxPduLength;
        listenerOptions.Association.ArtimTimeout = TimeSpan.FromSeconds(options.ArtimTimeoutSeconds);
        listenerOptions.Association.IdleTimeout = TimeSpan.FromSeconds(options.IdleTimeoutSeconds);
        listenerOptions.Association.FirstMessageTimeout = TimeSpan.FromSeconds(options.FirstMessageTimeoutSeconds);

        IAssociationPolicy policy = new MeteredAssociationPolicy(new KnownSourcesAssociationPolicy(accessRules.Current));
        if (audit.Enabled)
        {
            policy = new AuditingAssociationPolicy(policy, audit);
        }

        var negotiator = StorageNegotiation.CreateScpNegotiator(TransferSyntaxes(options));
        // The start so far (configuration, dependency injection, migrations, seeding, reconciliation) leaves its garbage
        // and its long-lived objects in the young generations; their first collections (15-25 ms each, copying those
        // objects on) otherwise fell on the first association's instances (perf, docs/benchmarks.md "Cold start").
        // Collected once here, before the port opens, the long-lived objects move on now and the collections during
        // reception stay short (a few ms). The young generations only: in a process with a large old generation (a
        // test host running many nodes) a full collection here would cost far more than it saves.
        GC.Collect(1, GCCollectionMode.Forced, blocking: true);
        if (!options.Tls.DisablePlainPort)
        {
            var listener = new DicomListener(listenerOptions, policy, negotiator, handlers, loggers.CreateLogger<DicomListener>());
            listener.Start();
            _listener = listener;
        }

        if (options.Tls.Enabled)
        {
            _tlsListener = TlsReception.Start(options, listenerOptions, policy, negotiator, handlers, audit, loggers);
        }

        var rules = accessRules.Current();
        NodeLog.ReceptionStarted(_logger, string.Join(", ", rules.ListeningAes.Select(ae => ae.AeTitle)),
            LocalEndPoint.Port, DataDirectory, storageOptions.FlushToDisk, rules.Sources.Count);
        WarnIfNotDurable(storageOptions.FlushToDisk);
        audit.Record(AuditMessages.ApplicationActivity(started: true, [.. rules.ListeningAes.Select(ae => ae.AeTitle)], DateTimeOffset.UtcNow));
    }

    /// <summary>
    /// Says once, at start, when the data folder's file system cannot keep what an acknowledged instance needs across
    /// a power cut: the store's recovery relies on a rename being all or nothing, which a file system without a
    /// journal does not promise (said only with flush on: with it off the node promises less anyway), and one kept in
    /// memory keeps nothing.
    /// </summary>
    private void WarnIfNotDurable(bool flush)
    {
        var finding = FileSystemDurability.Inspect(DataDirectory);
        if (finding.Kind == DurabilityKind.NoJournal && flush)
        {
            NodeLog.DataFolderWithoutJournal(_logger, DataDirectory, finding.FileSystem, finding.MountPoint);
        }
        else if (finding.Kind == DurabilityKind.Volatile)
        {
            NodeLog.DataFolderInMemory(_logger, DataDirectory, finding.FileSystem, finding.MountPoint);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var wasRunning = _listener is not null || _tlsListener is not null;
        if (_listener is { } listener)
        {
            _listener = null;
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        if (_tlsListener is { } tlsListener)
        {
            _tlsListener = null;
            await tlsListener.DisposeAsync().ConfigureAwait(false);
        }

        if (wasRunning)
        {
            audit.Record(AuditMessages.ApplicationActivity(started: false, [.. accessRules.Current().ListeningAes.Select(ae => ae.AeTitle)], DateTimeOffset.UtcNow));
        }

        // After the listener: no session is left to rename, and the last renames get their directory fsync.
        Interlocked.Exchange(ref _store, null)?.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    /// <summary>The configured preference filtered to what can be decoded here, or everything decodable when none is configured.</summary>
    private IReadOnlyList<string> TransferSyntaxes(ReceptionOptions options)
    {
        var decodable = StorageNegotiation.TransferSyntaxPreference(
            new PixelDecoderRegistry(PixelDecoderRegistry.CreateDecoders(), loggers.CreateLogger<PixelDecoderRegistry>()));
        if (options.TransferSyntaxes.Count == 0)
        {
            return decodable;
        }

        foreach (var uid in options.TransferSyntaxes.Where(uid => !decodable.Contains(uid)))
        {
            NodeLog.TransferSyntaxNotDecodable(_logger, uid);
        }

        var chosen = options.TransferSyntaxes.Where(decodable.Contains).Distinct().ToList();
        return chosen.Count > 0
            ? chosen
            : throw new OptionsValidationException(ReceptionOptions.Section, typeof(ReceptionOptions),
                [$"{ReceptionOptions.Section}:TransferSyntaxes: none of the listed transfer syntaxes can be decoded here."]);
    }
}
