using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Assembly;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Export;

namespace MiniGptMed.DicomNode.Administration;

/// <summary>
/// Keeps <see cref="ConfigSnapshotCache"/> in step with the database. At start (after the database migrated, before
/// reception opens): seeds the tables from appsettings.json if they never were, then loads them. Then reloads when
/// this process changed something (at once), when PostgreSQL delivers another process's NOTIFY (at once: the CLI,
/// another node of the cluster), or when the stored version moved (polled every <c>Administration:PollMilliseconds</c>:
/// the CLI beside a SQLite node, and PostgreSQL while the LISTEN connection is down).
/// </summary>
internal sealed class AdministrationService(
    SqlAdministration administration,
    ConfigSnapshotCache cache,
    IOptionsMonitor<ReceptionOptions> reception,
    IOptionsMonitor<AssemblyOptions> assembly,
    IOptionsMonitor<AnalysisRulesOptions> rules,
    IOptionsMonitor<ExportOptions> export,
    IOptionsMonitor<AdministrationOptions> options,
    TimeProvider time,
    ILogger<AdministrationService> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await SeedAsync(administration, reception.CurrentValue, assembly.CurrentValue, rules.CurrentValue, export.CurrentValue, logger, cancellationToken).ConfigureAwait(false);
        var snapshot = await administration.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        cache.Set(snapshot);
        AdministrationLog.Loaded(logger, snapshot.Version, snapshot.Aes.Count, snapshot.Sources.Count, snapshot.Destinations.Count, snapshot.Rules.Count);
        administration.Changed += OnChanged;
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Seeds the configuration from what appsettings.json says, once in the database's life (the CLI calls it too).</summary>
    public static async Task SeedAsync(SqlAdministration administration, ReceptionOptions reception, AssemblyOptions assembly, AnalysisRulesOptions rules,
        ExportOptions export, ILogger logger, CancellationToken cancellationToken)
    {
        var seed = ConfigSeed.From(reception, assembly, rules, export);
        if (await administration.SeedOnceAsync(seed, ConfigSeed.Actor, cancellationToken).ConfigureAwait(false))
        {
            AdministrationLog.Seeded(logger, seed.Aes.Count, seed.Sources.Count, seed.Destinations.Count, seed.Rules.Count);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        administration.Changed -= OnChanged;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var poll = new CancellationTokenSource(TimeSpan.FromMilliseconds(options.CurrentValue.PollMilliseconds), time);
                using var either = CancellationTokenSource.CreateLinkedTokenSource(poll.Token, stoppingToken);
                try
                {
                    await _wake.WaitAsync(either.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The poll interval passed.
                }

                stoppingToken.ThrowIfCancellationRequested();
                var version = await administration.VersionAsync(stoppingToken).ConfigureAwait(false);
                if (cache.Current is { } current && current.Version == version)
                {
                    continue;
                }

                var snapshot = await administration.SnapshotAsync(stoppingToken).ConfigureAwait(false);
                if (cache.Set(snapshot))
                {
                    AdministrationLog.Reloaded(logger, snapshot.Version, snapshot.Aes.Count, snapshot.Sources.Count, snapshot.Destinations.Count, snapshot.Rules.Count);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The database is unreachable for a moment: the configuration in force stays; the next poll tries again.
                AdministrationLog.ReloadFailed(logger, ex.Message);
            }
        }
    }

    private void OnChanged(long version)
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is already pending.
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
    }
}

/// <summary>The administration's log: event IDs 5700-5719; counts and versions, no patient data.</summary>
internal static partial class AdministrationLog
{
    [LoggerMessage(5700, LogLevel.Information, "Administration: seeded from appsettings.json (first start): {Aes} listening AEs, {Sources} sources, {Destinations} destinations, {Rules} rules; from now on the database is the truth")]
    public static partial void Seeded(ILogger logger, int aes, int sources, int destinations, int rules);

    [LoggerMessage(5701, LogLevel.Information, "Administration: configuration version {Version} in force: {Aes} listening AEs, {Sources} sources, {Destinations} destinations, {Rules} rules")]
    public static partial void Loaded(ILogger logger, long version, int aes, int sources, int destinations, int rules);

    [LoggerMessage(5702, LogLevel.Information, "Administration: configuration version {Version} applied: {Aes} listening AEs, {Sources} sources, {Destinations} destinations, {Rules} rules")]
    public static partial void Reloaded(ILogger logger, long version, int aes, int sources, int destinations, int rules);

    [LoggerMessage(5703, LogLevel.Warning, "Administration: the configuration could not be read again ({Message}); the one in force stays")]
    public static partial void ReloadFailed(ILogger logger, string message);
}
