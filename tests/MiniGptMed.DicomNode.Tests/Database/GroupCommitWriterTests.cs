using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using MiniGptMed.DicomNode.Database;

namespace MiniGptMed.DicomNode.Tests.Database;

/// <summary>
/// The group-commit writer on a real SQLite file: a write that finds it idle commits on the caller's thread (the
/// receiving association pays no thread hop), and writes that arrive while a commit runs share the next one.
/// </summary>
public sealed class GroupCommitWriterTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("minigptmed-writer-").FullName;
    private GroupCommitWriter _writer = null!;

    public async Task InitializeAsync()
    {
        _writer = Writer(OpenAsync);
        await _writer.WriteAsync((c, t, ct) => ExecuteAsync(c, t, "CREATE TABLE rows (n INTEGER NOT NULL)"));
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AWriteToAnIdleWriter_CommitsOnTheCallersThread_BeforeWriteAsyncReturns()
    {
        var thread = Environment.CurrentManagedThreadId;
        var ranOn = 0;
        var write = _writer.WriteAsync(async (c, t, ct) =>
        {
            ranOn = Environment.CurrentManagedThreadId;
            return await ExecuteAsync(c, t, "INSERT INTO rows VALUES (1)");
        });

        // SQLite completes synchronously: the row is committed and the task done when the call returns, no hop.
        Assert.True(write.IsCompletedSuccessfully);
        Assert.Equal(thread, ranOn);
        Assert.Equal(1, await write);
        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task WritesArrivingWhileACommitRuns_ShareTheNextCommit_AndEachCallerHearsItsOwnResult()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _writer.WriteAsync(async (c, t, ct) =>
        {
            await hold.Task;
            return await ExecuteAsync(c, t, "INSERT INTO rows VALUES (0)");
        });
        var before = _writer.Commits;
        var queued = Enumerable.Range(1, 20).Select(i => _writer.WriteAsync((c, t, ct) => InsertReturningAsync(c, t, i))).ToList();
        Assert.All(queued, w => Assert.False(w.IsCompleted));

        hold.SetResult();
        await first;
        var results = await Task.WhenAll(queued);

        Assert.Equal(Enumerable.Range(1, 20), results);
        Assert.Equal(21, await CountAsync());
        // The held commit, then the twenty together (the batch limit is 256).
        Assert.Equal(before + 2, _writer.Commits);
    }

    [Fact]
    public async Task AFailingWriteOnTheCallersThread_FailsItsCaller_AndTheWriterGoesOn()
    {
        await Assert.ThrowsAsync<SqliteException>(() => _writer.WriteAsync((c, t, ct) => ExecuteAsync(c, t, "INSERT INTO missing VALUES (1)")));

        Assert.Equal(1, await _writer.WriteAsync((c, t, ct) => ExecuteAsync(c, t, "INSERT INTO rows VALUES (1)")));
        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task APreparedStatement_IsOneCommandPerConnectionAndSql_WithItsParametersFreshInEachTransaction()
    {
        // The catalogue's per-instance statements: prepared once on the kept connection, bound anew in each commit.
        var commands = new List<DbCommand>();
        const string Insert = "INSERT INTO rows VALUES (@n)";
        foreach (var n in new[] { 7, 8, 9 })
        {
            await _writer.WriteAsync(async (c, t, ct) =>
            {
                var command = c.Prepared(t, Insert).With("@n", n);
                Assert.Single(command.Parameters);
                Assert.Same(t, command.Transaction);
                commands.Add(command);
                return await command.ExecuteNonQueryAsync(ct);
            });
        }

        Assert.Same(commands[0], commands[1]);
        Assert.Same(commands[0], commands[2]);
        Assert.Equal(3, await CountAsync());
        Assert.Equal(24, await _writer.WriteAsync(async (c, t, ct) =>
        {
            var sum = c.Prepared(t, "SELECT sum(n) FROM rows");
            Assert.NotSame(commands[0], sum);
            return Convert.ToInt32(await sum.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }));
    }

    /// <summary>The writer as the node makes it for SQLite: one kept connection, no commit delay, disposed by <see cref="DisposeAsync"/>.</summary>
    private static GroupCommitWriter Writer(Func<CancellationToken, ValueTask<DbConnection>> open) =>
        new(open, keepConnection: true, new DatabaseOptions(), TimeProvider.System, NullLogger.Instance);

    private async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "test.db")}");
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async ValueTask<int> ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    private static async ValueTask<int> InsertReturningAsync(DbConnection connection, DbTransaction transaction, int n)
    {
        await ExecuteAsync(connection, transaction, $"INSERT INTO rows VALUES ({n})");
        return n;
    }

    private async Task<long> CountAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "test.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM rows";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
