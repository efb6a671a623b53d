using MiniGptMed.DicomNode.Database;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MiniGptMed.DicomNode.Jobs;

/// <summary>
/// The rescuer and the pruner: every <see cref="JobOptions.MaintenanceSeconds"/>, running jobs whose lease expired
/// are made claimable again (or dead-lettered after their last attempt), and succeeded or cancelled jobs older than
/// <see cref="JobOptions.RetentionHours"/> are deleted. Safe to run on every node at once: each is one statement.
/// </summary>
public sealed class JobMaintenanceService(IJobQueue queue, JobOptions options, TimeProvider time, ILogger<JobMaintenanceService> logger) : BackgroundService
{
    /// <summary>One pass; returns the jobs rescued and pruned.</summary>
    public async Task<(int Rescued, int Pruned)> RunOnceAsync(CancellationToken cancellationToken)
    {
        var rescued = await queue.RescueExpiredAsync(cancellationToken).ConfigureAwait(false);
        if (rescued > 0)
        {
            DatabaseLog.LeasesRescued(logger, rescued);
        }

        var pruned = await queue.PruneAsync(TimeSpan.FromHours(options.RetentionHours), cancellationToken).ConfigureAwait(false);
        if (pruned > 0)
        {
            DatabaseLog.Pruned(logger, pruned);
        }

        return (rescued, pruned);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.MaintenanceSeconds), time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                DatabaseLog.WorkerLoopFailed(logger, options.MaintenanceSeconds, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
