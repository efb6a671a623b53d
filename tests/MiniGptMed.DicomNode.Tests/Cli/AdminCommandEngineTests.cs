using Microsoft.Data.Sqlite;
using MiniGptMed.DicomNode.Cli;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Tests.Database;
using Npgsql;

namespace MiniGptMed.DicomNode.Tests.Cli;

/// <summary>The admin verbs on SQLite: <c>node.db</c> in the folder named by <c>--data</c>.</summary>
public sealed class SqliteAdminCommandTests : AdminCommandTests
{
    protected override DatabaseOptions Options => new() { Provider = "Sqlite" };

    protected override string[] Location => ["--data", DataDirectory];

    protected override Task CreateDatabaseAsync() => Task.CompletedTask;

    protected override Task DropDatabaseAsync()
    {
        SqliteConnection.ClearAllPools();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task MissingDatabase_ExitsOneNamingTheFile_AndCreatesNothing()
    {
        var empty = Directory.CreateTempSubdirectory("minigptmed-cli-empty-").FullName;
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = await CommandLine.RunAsync(["jobs", "list", "--data", empty], stdout, stderr);
            Assert.Equal(1, code);
            Assert.Contains($"no database at {Path.Combine(empty, DatabaseOptions.DefaultSqliteFile)}", stderr.ToString(), StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(empty));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task ConfigFile_StorageDataDirectory_LeadsToTheDatabase_AsForServe()
    {
        var config = Path.Combine(DataDirectory, "node.json");
        await File.WriteAllTextAsync(config, $$"""{ "Storage": { "DataDirectory": "{{DataDirectory}}" } }""");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(["jobs", "list", "--json", "--config", config], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        using var jobs = System.Text.Json.JsonDocument.Parse(stdout.ToString());
        Assert.Equal(4, jobs.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task BadConfigurationValue_ExitsTwoNamingTheKey()
    {
        var config = Path.Combine(DataDirectory, "bad.json");
        await File.WriteAllTextAsync(config, """{ "Database": { "Provider": "Oracle" } }""");
        var (code, stdout, stderr) = await RunAsync("studies", "list", "--config", config);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("minigptmed studies: configuration:", stderr, StringComparison.Ordinal);
        Assert.Contains("Database:Provider", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingConfigFile_ExitsTwo()
    {
        var (code, _, stderr) = await RunAsync("jobs", "list", "--config", Path.Combine(DataDirectory, "absent.json"));
        Assert.Equal(2, code);
        Assert.Contains("minigptmed jobs: configuration:", stderr, StringComparison.Ordinal);
    }
}

/// <summary>
/// The admin verbs on PostgreSQL, the database named by a <c>--config</c> file as a node of a cluster is configured;
/// a fresh database per test on the server of <c>MINIGPTMED_TEST_PG</c> (unset: the tests fail, as the contract suite's do).
/// </summary>
public sealed class PostgreSqlAdminCommandTests : AdminCommandTests
{
    private readonly PostgreSqlTestDatabase _database = new();

    private string ConnectionString => _database.ConnectionString;

    private string ConfigFile => Path.Combine(DataDirectory, "node.json");

    protected override DatabaseOptions Options => new() { Provider = "PostgreSql", ConnectionString = ConnectionString };

    protected override string[] Location => ["--config", ConfigFile, "--data", DataDirectory];

    protected override async Task CreateDatabaseAsync()
    {
        await _database.CreateAsync();
        await File.WriteAllTextAsync(ConfigFile, $$"""{ "Database": { "Provider": "PostgreSql", "ConnectionString": "{{ConnectionString}}" } }""");
    }

    protected override Task DropDatabaseAsync() => _database.DropAsync();
}
