using Microsoft.Data.Sqlite;
using MiniGptMed.DicomNode.Database;

namespace MiniGptMed.DicomNode.Tests.Database;

/// <summary>The database contract on SQLite: the embedded default, <c>node.db</c> in a fresh data folder per test.</summary>
public sealed class SqliteDatabaseTests : DatabaseContractTests
{
    protected override DatabaseOptions Options => new() { Provider = "Sqlite" };

    private string File => Path.Combine(DataDirectory, DatabaseOptions.DefaultSqliteFile);

    protected override Task CreateDatabaseAsync() => Task.CompletedTask;

    protected override Task DropDatabaseAsync()
    {
        SqliteConnection.ClearAllPools();
        return Task.CompletedTask;
    }

    protected override async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={File};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Open_PutsTheDatabaseInTheDataFolder_InWalMode()
    {
        await OpenAsync();
        Assert.True(System.IO.File.Exists(File));
        await using var connection = new SqliteConnection($"Data Source={File};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task RecordingInstances_OneCommitEach_IsCheckpointedByTheNodesCheckpointThread()
    {
        // The receiving path's pattern: a commit per instance. The log is copied into the database by the checkpoint
        // thread every SqliteCheckpointer.CommitsPerCheckpoint commits, not by the commit that crosses SQLite's default.
        var database = await OpenAsync();
        var count = (2 * SqliteCheckpointer.CommitsPerCheckpoint) + 10;
        for (var i = 1; i <= count; i++)
        {
            await database.Catalogue.RecordAsync(TestInstances.Ct("1.2.3", "1.2.3.1", i, Clock.Now));
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (database.Checkpoints < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{database.Checkpoints} checkpoints after {count} commits");
            await Task.Delay(20);
        }

        Assert.Equal(count, await ScalarAsync("SELECT count(*) FROM instances"));
    }
}
