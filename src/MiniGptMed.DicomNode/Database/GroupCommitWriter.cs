using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace MiniGptMed.DicomNode.Database;

/// <summary>
/// Group commit: writes queue in a bounded channel; one loop takes what has queued (up to
/// <see cref="DatabaseOptions.CommitBatchSize"/>, waiting at most <see cref="DatabaseOptions.CommitDelayMilliseconds"/>
/// for more) and runs it in one transaction, each write under its own savepoint so that a failing write fails
/// alone. Every caller's task completes when its batch has committed. With SQLite this is the only writer of the
/// process (SQLite has one writer at a time anyway, and one connection avoids lock hand-offs between them).
/// <para>
/// A write that finds the writer idle (no batch committing, nothing queued, no commit delay configured) is committed
/// on the caller's own thread instead: a batch of one, which is what the loop would have made of it, without the two
/// thread hops (caller to loop, loop back to the caller's continuation) that cost a receiving association about as
/// much as the commit itself on a 2-core machine (docs/benchmarks.md, "Ingest regression"). Writes that arrive while a
/// batch commits queue as before and share the next commit.
/// </para>
/// </summary>
internal sealed class GroupCommitWriter : IDbWriter
{
    private readonly Func<CancellationToken, ValueTask<DbConnection>> _open;
    private readonly bool _keepConnection;
    private readonly string? _beginStatement;
    private readonly Action? _committed;
    private readonly int _batchSize;
    private readonly TimeSpan _delay;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<WriteItem> _queue;
    private readonly Task _loop;

    /// <summary>Held by whoever commits (the loop or an inline caller): one transaction at a time on the connection.</summary>
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _closed;
    private DbConnection? _connection;

    /// <param name="open">Opens the connection a batch runs on.</param>
    /// <param name="keepConnection">true: one connection for the writer's life (SQLite); false: one per batch, back to the pool after it.</param>
    /// <param name="beginStatement">Run first in every batch's transaction (PostgreSQL: <c>SET LOCAL synchronous_commit = off</c>).</param>
    /// <param name="committed">Called after each commit, on the committing thread (SQLite: <see cref="SqliteCheckpointer.Committed"/>).</param>
    public GroupCommitWriter(
        Func<CancellationToken, ValueTask<DbConnection>> open,
        bool keepConnection,
        DatabaseOptions options,
        TimeProvider time,
        ILogger logger,
        string? beginStatement = null,
        Action? committed = null)
    {
        _open = open;
        _keepConnection = keepConnection;
        _beginStatement = beginStatement;
        _committed = committed;
        _batchSize = options.CommitBatchSize;
        _delay = TimeSpan.FromMilliseconds(options.CommitDelayMilliseconds);
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<WriteItem>(new BoundedChannelOptions(options.WriteQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Batches committed so far (the benchmark and the tests read it).</summary>
    public long Commits { get; private set; }

    public async Task<T> WriteAsync<T>(DbWork<T> work, CancellationToken cancellationToken = default)
    {
        var item = new WriteItem<T>(work, cancellationToken);
        if (_delay == TimeSpan.Zero && _queue.Reader.Count == 0 && !_closed && _gate.Wait(0, CancellationToken.None))
        {
            var inline = false;
            try
            {
                // Checked again under the gate: writes queued meanwhile go first (the loop takes them next), and a
                // closed writer commits nothing new.
                if (_queue.Reader.Count == 0 && !_closed)
                {
                    inline = true;
                    await CommitAsync([item]).ConfigureAwait(false);
                }
            }
            finally
            {
                _gate.Release();
            }

            if (inline)
            {
                // Completed by the commit: the await continues on this thread.
                return await item.Task.ConfigureAwait(false);
            }
        }

        try
        {
            await _queue.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter), "The database is closed.");
        }

        return await item.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // Writes already queued still commit; new ones are refused.
        _closed = true;
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        // An inline commit that began before the close finishes before the connection goes.
        await _gate.WaitAsync().ConfigureAwait(false);
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<WriteItem>(_batchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                batch.Clear();
                Drain(reader, batch);
                if (_delay > TimeSpan.Zero && batch.Count < _batchSize)
                {
                    await WaitForMoreAsync(reader, batch).ConfigureAwait(false);
                }

                await CommitAsync(batch).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private void Drain(ChannelReader<WriteItem> reader, List<WriteItem> batch)
    {
        while (batch.Count < _batchSize && reader.TryRead(out var item))
        {
            batch.Add(item);
        }
    }

    private async Task WaitForMoreAsync(ChannelReader<WriteItem> reader, List<WriteItem> batch)
    {
        using var window = new CancellationTokenSource(_delay, _time);
        try
        {
            while (batch.Count < _batchSize && await reader.WaitToReadAsync(window.Token).ConfigureAwait(false))
            {
                Drain(reader, batch);
            }
        }
        catch (OperationCanceledException) when (window.IsCancellationRequested)
        {
            // The window closed: commit what there is.
        }
    }

    private async Task CommitAsync(List<WriteItem> batch)
    {
        var live = batch.Where(item => !item.CancelIfRequested()).ToList();
        if (live.Count == 0)
        {
            return;
        }

        DbConnection? connection = null;
        try
        {
            connection = _connection ??= await _open(CancellationToken.None).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            if (_beginStatement is not null)
            {
                await using var begin = connection.Command(transaction, _beginStatement);
                await begin.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            var done = new List<WriteItem>(live.Count);
            foreach (var item in live)
            {
                if (live.Count == 1)
                {
                    // Alone in its transaction: a failure rolls the transaction back, no savepoint needed.
                    await item.RunAsync(connection, transaction).ConfigureAwait(false);
                    done.Add(item);
                    continue;
                }

                await transaction.SaveAsync("w").ConfigureAwait(false);
                try
                {
                    await item.RunAsync(connection, transaction).ConfigureAwait(false);
                    await transaction.ReleaseAsync("w").ConfigureAwait(false);
                    done.Add(item);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    await transaction.RollbackAsync("w").ConfigureAwait(false);
                    item.Fail(ex);
                }
            }

            await transaction.CommitAsync().ConfigureAwait(false);
            Commits++;
            _committed?.Invoke();
            foreach (var item in done)
            {
                item.Complete();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The transaction (or the connection) failed: nothing of the batch is written, and every caller hears it.
            DatabaseLog.BatchFailed(_logger, live.Count, ex);
            foreach (var item in live)
            {
                item.Fail(ex);
            }

            if (_connection is { } broken)
            {
                _connection = null;
                await broken.DisposeAsync().ConfigureAwait(false);
            }

            connection = null;
        }
        finally
        {
            if (!_keepConnection && connection is not null)
            {
                _connection = null;
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private abstract class WriteItem
    {
        public abstract bool CancelIfRequested();

        public abstract ValueTask RunAsync(DbConnection connection, DbTransaction transaction);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class WriteItem<T>(DbWork<T> work, CancellationToken cancellationToken) : WriteItem
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override bool CancelIfRequested() => cancellationToken.IsCancellationRequested && _completion.TrySetCanceled(cancellationToken);

        public override async ValueTask RunAsync(DbConnection connection, DbTransaction transaction) =>
            _result = await work(connection, transaction, CancellationToken.None).ConfigureAwait(false);

        public override void Complete() => _completion.TrySetResult(_result!);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
