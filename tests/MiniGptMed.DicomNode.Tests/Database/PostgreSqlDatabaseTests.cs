using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Jobs;
using Npgsql;

namespace MiniGptMed.DicomNode.Tests.Database;

/// <summary>
/// The database contract on PostgreSQL: a fresh database per test on the server named by
/// <c>MINIGPTMED_TEST_PG</c> (.ci/run starts PostgreSQL and sets it). Unset, these tests fail: a skipped
/// PostgreSQL suite would let the cluster backend rot unnoticed.
/// </summary>
public sealed class PostgreSqlDatabaseTests : DatabaseContractTests
{
    private readonly PostgreSqlTestDatabase _database = new();

    private string ConnectionString => _database.ConnectionString;

    protected override DatabaseOptions Options => new() { Provider = "PostgreSql", ConnectionString = ConnectionString };

    protected override Task CreateDatabaseAsync() => _database.CreateAsync();

    protected override Task DropDatabaseAsync() => _database.DropAsync();

    protected override async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Enqueue_OnAnotherNode_WakesThisNodesIdleWorkerThroughListenNotify()
    {
        var receiver = await OpenAsync();
        var worker = await OpenAsync();
        await worker.ListeningAsync.WaitAsync(TimeSpan.FromSeconds(30));
        // The next wake-up after the listener's own one when it connected.
        var woken = worker.Signal.Next;

        await receiver.Jobs.EnqueueAsync(new JobRequest { Kind = JobKinds.Analyse, IdempotencyKey = "1.2.3" });

        // Nothing in this process signalled the worker's node: only NOTIFY from the receiver's commit can.
        await woken.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(await worker.Jobs.ClaimAsync("w", [JobKinds.Analyse], 1, TimeSpan.FromMinutes(1)));
    }
}
