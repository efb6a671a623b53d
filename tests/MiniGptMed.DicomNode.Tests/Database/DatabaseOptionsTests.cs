using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.DicomNode.Tests.Database;

/// <summary>The <c>Database</c> and <c>Jobs</c> sections: defaults, and messages that name the key.</summary>
public sealed class DatabaseOptionsTests
{
    [Fact]
    public void Defaults_AreTheEmbeddedSqliteDatabase_AndValid()
    {
        var options = new DatabaseOptions();
        Assert.Equal(DatabaseProvider.Sqlite, options.ProviderKind);
        Assert.Equal("", options.ConnectionString);
        Assert.True(new DatabaseOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(new JobOptionsValidator().Validate(null, new JobOptions()).Succeeded);
    }

    [Theory]
    [InlineData("Oracle", "", "Database:Provider 'Oracle' is not Sqlite or PostgreSql.")]
    [InlineData("1", "", "Database:Provider '1' is not Sqlite or PostgreSql.")]
    [InlineData("postgresql", "", "Database:ConnectionString is empty; PostgreSql needs one")]
    [InlineData("Sqlite", "Data Source=x;'", "Database:ConnectionString is not a connection string")]
    public void BadValues_AreRefusedWithTheKey(string provider, string connectionString, string message)
    {
        var result = new DatabaseOptionsValidator().Validate(null, new DatabaseOptions { Provider = provider, ConnectionString = connectionString });
        Assert.Contains(result.Failures!, f => f.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void BadJobValues_AreRefusedWithTheKey()
    {
        var result = new JobOptionsValidator().Validate(null, new JobOptions { MaxAttempts = 0, LeaseSeconds = 1, BackoffBaseSeconds = 60, BackoffMaxSeconds = 10 });
        Assert.Equal(
            ["Jobs:MaxAttempts is 0; it must be 1..1000.", "Jobs:BackoffMaxSeconds is 10; it must be 60..604800.", "Jobs:LeaseSeconds is 1; it must be 3..86400."],
            result.Failures);
    }

    [Fact]
    public void Backoff_DoublesFromTheBase_UpToTheMaximum_HalfOfItJitter()
    {
        var options = new JobOptions { BackoffBaseSeconds = 15, BackoffMaxSeconds = 100 };
        Assert.Equal(TimeSpan.FromSeconds(7.5), options.Backoff(1, 0));
        Assert.Equal(TimeSpan.FromSeconds(15), options.Backoff(1, 1));
        Assert.Equal(TimeSpan.FromSeconds(30), options.Backoff(2, 1));
        Assert.Equal(TimeSpan.FromSeconds(100), options.Backoff(10, 1));
        Assert.Equal(TimeSpan.FromSeconds(100), options.Backoff(int.MaxValue, 1));
    }

    [Fact]
    public async Task Serve_OpensTheDatabaseInTheDataFolderBeforeTheReception_AndClosesItAtStop()
    {
        var folder = Directory.CreateTempSubdirectory("minigptmed-dbhost-").FullName;
        try
        {
            using (var host = NodeHost.Build(new NodeHostSettings { Port = 0, DataDirectory = folder }))
            {
                await host.StartAsync();
                var database = host.Services.GetRequiredService<NodeDatabase>();
                Assert.Equal(Migrator.Load(SqliteDialect.Instance)[^1].Version, database.SchemaVersion);
                Assert.True(File.Exists(Path.Combine(folder, DatabaseOptions.DefaultSqliteFile)));
                await host.Services.GetRequiredService<ICatalogue>().RecordAsync(TestInstances.Ct("1.2.3", "1.2.3.1", 1, DateTimeOffset.UtcNow));
                await host.StopAsync();
            }

            // The rows committed before the stop are there for the next start: its reconciliation with the stored files
            // finds this one (a row with no file behind it, so it goes: the sealed files are the truth).
            using var again = NodeHost.Build(new NodeHostSettings { Port = 0, DataDirectory = folder });
            await again.StartAsync();
            Assert.Equal(new ReconcileResult(0, 0, 1, 0), again.Services.GetRequiredService<MiniGptMed.DicomNode.Reception.ReceptionService>().Reconciled);
            Assert.Null(await again.Services.GetRequiredService<ICatalogue>().InstanceAsync("1.2.3.1.1"));
            await again.StopAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Serve_WithABadDatabaseSection_NamesTheKeyAtStart()
    {
        var folder = Directory.CreateTempSubdirectory("minigptmed-dbopts-").FullName;
        try
        {
            var config = Path.Combine(folder, "bad.json");
            File.WriteAllText(config, """{ "Database": { "Provider": "PostgreSql" }, "Jobs": { "Concurrency": 0 } }""");
            using var host = NodeHost.Build(new NodeHostSettings { ConfigFile = config, DataDirectory = folder });
            var error = Assert.Throws<OptionsValidationException>(() => NodeHost.ValidateConfiguration(host.Services));
            Assert.Contains(error.Failures, f => f.StartsWith("Database:ConnectionString is empty", StringComparison.Ordinal));
            Assert.Contains("Jobs:Concurrency is 0; it must be 1..256.", error.Failures);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
