using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace MiniGptMed.DicomNode.Database;

/// <summary>
/// SQLite's WAL checkpoints on a thread of their own instead of the writer's. By default SQLite checkpoints inside
/// the commit that takes the log past 1,000 pages, on the committing thread: with the catalogue's writer that is the
/// receiving association, which then waited about 7 ms (an fsync of the log, the pages copied, an fsync of the
/// database; docs/benchmarks.md, "WAL checkpoints off the receiving thread") before it could answer, every 125
/// instances or so, and every other association waited behind it for the single writer. Here the writer's
/// connection checkpoints on its own only past <see cref="WriterAutoCheckpointPages"/> (a safety net should this
/// thread fall behind), and this thread runs a PASSIVE checkpoint, which never blocks the writer, after every
/// <see cref="CommitsPerCheckpoint"/> commits and once the writer has been quiet for a moment (<see cref="DefaultQuietDelay"/>).
/// Durability is SQLite's either way (synchronous=NORMAL: the log is fsynced before its pages are copied); only the
/// thread that pays differs. What stays with the writer is the sync of the log's header when a commit starts the log
/// over after a complete checkpoint, which SQLite needs for the order of its writes.
/// </summary>
internal sealed class SqliteCheckpointer : IDisposable
{
    /// <summary>The writer's own automatic checkpoint (pages, about 40 MB of log): reached only if this thread falls behind.</summary>
    public const int WriterAutoCheckpointPages = 10_000;

    /// <summary>Commits between two checkpoints while writes go on: the catalogue's row of an instance is about 8 pages, so about SQLite's default of 1,000 pages.</summary>
    public const int CommitsPerCheckpoint = 128;

    /// <summary>After the last commit, how long the writer must be quiet before what is left in the log is checkpointed (default).</summary>
    public static readonly TimeSpan DefaultQuietDelay = TimeSpan.FromSeconds(2);

    private readonly string _connectionString;
    private readonly ILogger _logger;
    private readonly TimeSpan _quietDelay;
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _thread;
    private SqliteConnection? _connection;
    private int _pending;
    private long _lastCommit;
    private long _checkpoints;
    private volatile bool _disposed;

    /// <param name="quietDelay">After the last commit, how long the writer must be quiet before what is left in the log is checkpointed (default <see cref="DefaultQuietDelay"/>).</param>
    public SqliteCheckpointer(string connectionString, ILogger logger, TimeSpan? quietDelay = null)
    {
        _connectionString = connectionString;
        _logger = logger;
        _quietDelay = quietDelay ?? DefaultQuietDelay;
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-checkpoint" };
        _thread.Start();
    }

    /// <summary>Checkpoints that completed (each copied every page the log held when it began that no reader still needed).</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>
    /// A commit of the writer, counted. The first after a checkpoint wakes the thread to time the quiet delay, the
    /// <see cref="CommitsPerCheckpoint"/>th to checkpoint: two wake-ups per checkpoint, cheap enough for every commit.
    /// </summary>
    public void Committed()
    {
        Volatile.Write(ref _lastCommit, Stopwatch.GetTimestamp());
        var pending = Interlocked.Increment(ref _pending);
        if (pending == 1 || pending == CommitsPerCheckpoint)
        {
            Wake();
        }
    }

    /// <summary>Stops the thread after a last checkpoint of what the writer committed.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Wake();
        _thread.Join();
        _wake.Dispose();
    }

    private void Wake()
    {
        try
        {
            _wake.Set();
        }
        catch (ObjectDisposedException)
        {
            // A commit after Dispose (the writer is disposed first): nothing to wake.
        }
    }

    private void Run()
    {
        while (!_disposed)
        {
            // Asleep while nothing is pending; otherwise awake again when the quiet delay since the last commit is over.
            var wait = Timeout.InfiniteTimeSpan;
            if (Volatile.Read(ref _pending) > 0)
            {
                var quiet = Stopwatch.GetElapsedTime(Volatile.Read(ref _lastCommit));
                wait = quiet >= _quietDelay ? TimeSpan.Zero : _quietDelay - quiet;
            }

            _wake.WaitOne(wait);
            var pending = Volatile.Read(ref _pending);
            if (!_disposed && pending > 0
                && (pending >= CommitsPerCheckpoint || Stopwatch.GetElapsedTime(Volatile.Read(ref _lastCommit)) >= _quietDelay))
            {
                Checkpoint();
            }
        }

        if (Volatile.Read(ref _pending) > 0)
        {
            Checkpoint();
        }

        _connection?.Dispose();
    }

    private void Checkpoint()
    {
        // Commits from here on count for the next checkpoint: this one may not see their frames.
        Interlocked.Exchange(ref _pending, 0);
        try
        {
            if (_connection is null)
            {
                var connection = new SqliteConnection(_connectionString);
                connection.Open();
                _connection = connection;
            }

            using var command = _connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            using var reader = command.ExecuteReader();
            if (reader.Read())
            {
                DatabaseLog.Checkpointed(_logger, reader.GetInt64(1), reader.GetInt64(2));
            }

            Interlocked.Increment(ref _checkpoints);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Never the end of the thread (nor, on a thread of its own, of the process): the writer's own checkpoint
            // at WriterAutoCheckpointPages keeps the log bounded until the next try, on a fresh connection.
            DatabaseLog.CheckpointFailed(_logger, ex);
            _connection?.Dispose();
            _connection = null;
        }
    }
}
