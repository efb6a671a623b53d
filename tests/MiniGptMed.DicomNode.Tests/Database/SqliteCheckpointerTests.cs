using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.TestSupport;

namespace MiniGptMed.DicomNode.Tests.Database;

/// <summary>
/// The WAL's checkpoints on their own thread, composed as the node composes them (the writer's connection from
/// <see cref="SqliteConnectionSource.OpenWriterAsync"/>, the writer telling the checkpointer of each commit), on a
/// real SQLite file. That the log's pages reached the database file shows in the file's size: in WAL mode a commit
/// writes only the log, and only a checkpoint copies pages into the database file.
/// </summary>
public sealed class SqliteCheckpointerTests : IAsyncLifetime, IDisposable
{
    private const int RowBytes = 2048;

    private readonly string _folder = Directory.CreateTempSubdirectory("minigptmed-checkpoint-").FullName;
    private SqliteCheckpointer? _checkpointer;
    private GroupCommitWriter? _writer;

    private string DatabaseFile => Path.Combine(_folder, "node.db");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }

        _checkpointer?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Idempotent: DisposeAsync has stopped the thread already.</summary>
    public void Dispose() => _checkpointer?.Dispose();

    [Fact]
    public async Task TheWritersConnection_LeavesCheckpointsToTheThread_UpToItsSafetyNet()
    {
        var writer = await StartAsync(TimeSpan.FromHours(1));

        // SQLite's default would checkpoint inside the commit that takes the log past 1,000 pages.
        var pages = await writer.WriteAsync(async (c, t, ct) =>
        {
            await using var command = c.Command(t, "PRAGMA wal_autocheckpoint");
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        });
        Assert.Equal(SqliteCheckpointer.WriterAutoCheckpointPages, pages);
    }

    [Fact]
    public async Task AfterCommitsPerCheckpointCommits_TheLogIsCopiedIntoTheDatabase_WithoutWaitingForQuiet()
    {
        var writer = await StartAsync(TimeSpan.FromHours(1));
        var sizeBefore = new FileInfo(DatabaseFile).Length;

        await InsertAsync(writer, SqliteCheckpointer.CommitsPerCheckpoint - 1);
        await InsertAsync(writer, 1);

        await WaitUntilAsync(() => _checkpointer!.Checkpoints == 1);
        Assert.True(new FileInfo(DatabaseFile).Length - sizeBefore >= (SqliteCheckpointer.CommitsPerCheckpoint - 1) * (long)RowBytes);
        Assert.Equal(SqliteCheckpointer.CommitsPerCheckpoint, await CountAsync());
    }

    [Fact]
    public async Task AQuietWriter_HasWhatIsLeftInTheLogCheckpointed_AfterTheQuietDelay()
    {
        var writer = await StartAsync(TimeSpan.FromMilliseconds(200));
        var sizeBefore = new FileInfo(DatabaseFile).Length;

        await InsertAsync(writer, 40);

        await WaitUntilAsync(() => _checkpointer!.Checkpoints == 1);
        Assert.True(new FileInfo(DatabaseFile).Length - sizeBefore >= 40L * RowBytes);
        // Nothing more was committed: the thread sleeps instead of checkpointing an empty log again.
        await Task.Delay(600);
        Assert.Equal(1, _checkpointer!.Checkpoints);
    }

    [Fact]
    public async Task Dispose_CheckpointsTheLastCommits()
    {
        var writer = await StartAsync(TimeSpan.FromHours(1));
        var sizeBefore = new FileInfo(DatabaseFile).Length;
        await InsertAsync(writer, 5);
        Assert.Equal(0, _checkpointer!.Checkpoints);

        await writer.DisposeAsync();
        _writer = null;
        _checkpointer.Dispose();

        Assert.Equal(1, _checkpointer.Checkpoints);
        Assert.True(new FileInfo(DatabaseFile).Length - sizeBefore >= 5L * RowBytes);
    }

    [Fact]
    public void ACheckpointThatFails_IsAWarning_AndTheThreadGoesOn()
    {
        // A database SQLite cannot open (its "file" is a folder): each checkpoint fails, none ends the thread or the process.
        var logger = new CapturingLogger<SqliteCheckpointer>();
        using var checkpointer = new SqliteCheckpointer($"Data Source={_folder}", logger, TimeSpan.FromMilliseconds(50));
        for (var i = 0; i < SqliteCheckpointer.CommitsPerCheckpoint; i++)
        {
            checkpointer.Committed();
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!logger.Lines.Any(l => l.Level == LogLevel.Warning))
        {
            Assert.True(DateTime.UtcNow < deadline, "no warning for the failed checkpoint within 20 s");
            Thread.Sleep(20);
        }

        // The thread is still there: a later commit is tried again (and fails again) after the quiet delay.
        checkpointer.Committed();
        while (logger.Lines.Count(l => l.Level == LogLevel.Warning) < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the thread did not try again after the failure");
            Thread.Sleep(20);
        }

        checkpointer.Dispose();
        Assert.Equal(0, checkpointer.Checkpoints);
        Assert.All(logger.Lines.Where(l => l.Level == LogLevel.Warning), l => Assert.Equal(5207, l.EventId));
    }

    /// <summary>The writer and its checkpointer as NodeDatabase makes them for SQLite, over a table of rows already in the database file.</summary>
    private async Task<GroupCommitWriter> StartAsync(TimeSpan quietDelay)
    {
        var source = new SqliteConnectionSource($"Data Source={DatabaseFile}", 5000);
        await using (var setUp = await source.OpenWriterAsync(CancellationToken.None))
        {
            await ExecuteAsync(setUp, null, "CREATE TABLE rows (n INTEGER NOT NULL, payload BLOB NOT NULL)");
            await ExecuteAsync(setUp, null, "PRAGMA wal_checkpoint(TRUNCATE)");
        }

        _checkpointer = new SqliteCheckpointer(source.ConnectionString, NullLogger.Instance, quietDelay);
        _writer = new GroupCommitWriter(source.OpenWriterAsync, keepConnection: true, new DatabaseOptions(), TimeProvider.System,
            NullLogger.Instance, committed: _checkpointer.Committed);
        return _writer;
    }

    /// <summary>One commit per row, as the receiving path commits one instance at a time.</summary>
    private static async Task InsertAsync(GroupCommitWriter writer, int rows)
    {
        for (var i = 0; i < rows; i++)
        {
            await writer.WriteAsync((c, t, ct) => ExecuteAsync(c, t, $"INSERT INTO rows VALUES ({i}, randomblob({RowBytes}))"));
        }
    }

    private static async ValueTask<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql)
    {
        await using var command = connection.Command(transaction, sql);
        return await command.ExecuteNonQueryAsync();
    }

    private async Task<long> CountAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM rows";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the checkpoint thread did not checkpoint within 20 s");
            await Task.Delay(20);
        }
    }
}
