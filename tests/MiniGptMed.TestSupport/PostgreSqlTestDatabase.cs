using Npgsql;

namespace MiniGptMed.TestSupport;

/// <summary>
/// A fresh database of its own for one test on the PostgreSQL server named by <c>MINIGPTMED_TEST_PG</c> (.ci/run starts
/// PostgreSQL and sets it). Unset, the tests that need it fail: a skipped PostgreSQL suite would let the backend rot
/// unnoticed.
/// </summary>
public sealed class PostgreSqlTestDatabase
{
    public const string Variable = "MINIGPTMED_TEST_PG";

    public string Name { get; } = $"minigptmed_test_{Guid.NewGuid():N}";

    /// <summary>The server's connection string, as the environment gives it (no database named).</summary>
    public static string Server => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException(
            $"{Variable} is not set: these tests need a PostgreSQL server, e.g. {Variable}=\"Host=127.0.0.1;Username=postgres;Password=postgres\" (bash .ci/run starts one and sets it).");

    /// <summary>The connection string of this test's database (Npgsql pools connections by default).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(Server) { Database = Name }.ConnectionString;

    public async Task CreateAsync()
    {
        await using var admin = new NpgsqlConnection(Server);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {Name}", admin);
        await create.ExecuteNonQueryAsync();
    }

    public async Task DropAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(Server);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
