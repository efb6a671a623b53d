using Microsoft.Extensions.Logging;

namespace MiniGptMed.DicomNode.Database;

/// <summary>The database, catalogue and job queue's log messages: event IDs 5200-5299. Never patient data.</summary>
internal static partial class DatabaseLog
{
    [LoggerMessage(5200, LogLevel.Information, "Database: {Provider} at {Location}, schema version {Version}")]
    public static partial void Opened(ILogger logger, DatabaseProvider provider, string location, int version);

    [LoggerMessage(5201, LogLevel.Information, "Database: migration {Version} ({Name}) applied")]
    public static partial void MigrationApplied(ILogger logger, int version, string name);

    [LoggerMessage(5202, LogLevel.Error, "Database: a batch of {Count} writes failed and was rolled back")]
    public static partial void BatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(5206, LogLevel.Debug, "Database: WAL checkpoint, {Copied} of {Frames} frames in the log copied into the database")]
    public static partial void Checkpointed(ILogger logger, long frames, long copied);

    [LoggerMessage(5207, LogLevel.Warning, "Database: a WAL checkpoint failed; the writer checkpoints on its own should the log keep growing")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception);

    [LoggerMessage(5210, LogLevel.Information, "Catalogue reconciled with the stored files: {Added} rows added, {Updated} updated, {Removed} removed, {Unchanged} unchanged")]
    public static partial void Reconciled(ILogger logger, int added, int updated, int removed, int unchanged);

    [LoggerMessage(5220, LogLevel.Warning, "Jobs: {Count} expired leases rescued")]
    public static partial void LeasesRescued(ILogger logger, int count);

    [LoggerMessage(5221, LogLevel.Information, "Jobs: {Count} finished jobs pruned")]
    public static partial void Pruned(ILogger logger, int count);

    [LoggerMessage(5222, LogLevel.Warning, "Job {Id} ({Kind}) failed on attempt {Attempt}; now {State}: {Message}")]
    public static partial void JobFailed(ILogger logger, long id, string kind, int attempt, string state, string message);

    [LoggerMessage(5223, LogLevel.Warning, "Job {Id} ({Kind}): the lease was lost (cancelled, or taken over after expiry); its outcome is not recorded")]
    public static partial void LeaseLost(ILogger logger, long id, string kind);

    [LoggerMessage(5224, LogLevel.Error, "Jobs: the worker loop failed; retrying in {Seconds} s")]
    public static partial void WorkerLoopFailed(ILogger logger, double seconds, Exception exception);

    [LoggerMessage(5225, LogLevel.Warning, "Database: the LISTEN connection to PostgreSQL was lost; jobs and configuration are polled until it is back")]
    public static partial void ListenLost(ILogger logger, Exception exception);

    [LoggerMessage(5226, LogLevel.Error, "Job {Id} has kind {Kind}, which no handler of this node runs")]
    public static partial void NoHandler(ILogger logger, long id, string kind);

    // Debug: where a job's time goes (tools/bench_latency.sh reads these to split the hand-offs from the work).
    [LoggerMessage(5227, LogLevel.Debug, "Job {Id} ({Kind}) started on attempt {Attempt}, {WaitedMilliseconds} ms after it was due")]
    public static partial void JobStarted(ILogger logger, long id, string kind, int attempt, long waitedMilliseconds);

    [LoggerMessage(5228, LogLevel.Debug, "Job {Id} ({Kind}) handled in {HandlerMilliseconds} ms, its success recorded in {RecordMilliseconds} ms")]
    public static partial void JobSucceeded(ILogger logger, long id, string kind, long handlerMilliseconds, long recordMilliseconds);
}
