using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Database;

namespace MiniGptMed.DicomNode.Cli.Admin;

/// <summary>
/// Opens the node's database as <c>serve</c> would find it: the same configuration sources through
/// <see cref="NodeHost.Build"/> (appsettings.json, <c>--config</c>, <c>MINIGPTMED_</c> variables, <c>--data</c>), so an
/// admin verb and the node it administers cannot disagree about where the database is. The host is built, never
/// started: no listener opens and no worker runs in the CLI process.
/// </summary>
internal static class NodeDatabaseAccess
{
    /// <summary>
    /// Runs <paramref name="action"/> on the opened database. Exit codes: what the action returns; 2 for bad
    /// configuration; 1 when the database cannot be opened or (SQLite) does not exist yet.
    /// </summary>
    /// <param name="createIfMissing">
    /// True for a verb whose point is to write (<c>user add</c> before the first start): the database is created.
    /// </param>
    public static Task<int> RunAsync(string verb, string? configFile, string? dataDirectory, TextWriter stderr, Func<NodeDatabase, Task<int>> action,
        bool createIfMissing = false) =>
        RunAsync(verb, configFile, dataDirectory, stderr, (database, _) => action(database), createIfMissing);

    /// <summary>The same, the action also getting the host's services (its bound options).</summary>
    public static async Task<int> RunAsync(string verb, string? configFile, string? dataDirectory, TextWriter stderr, Func<NodeDatabase, IServiceProvider, Task<int>> action,
        bool createIfMissing = false)
    {
        IHost host;
        try
        {
            host = NodeHost.Build(new NodeHostSettings
            {
                ConfigFile = configFile,
                DataDirectory = dataDirectory,
                // stdout is the verb's output (a table or --json): warnings and errors only, on stderr.
                ConfigureLogging = logging =>
                {
                    logging.ClearProviders();
                    logging.AddProvider(new StderrLoggerProvider(stderr, LogLevel.Warning));
                },
            });
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
        {
            stderr.WriteLine($"minigptmed {verb}: configuration: {ex.Message}{(ex.InnerException is { } inner ? " " + inner.Message : "")}");
            return 2;
        }

        await using var disposeHost = (IAsyncDisposable)host;
        NodeDatabase database;
        try
        {
            NodeHost.ValidateConfiguration(host.Services);
            if (!createIfMissing && MissingSqliteFile(host.Services) is { } missing)
            {
                // Opening would create an empty database: a mistyped --data would then list nothing, silently.
                stderr.WriteLine($"minigptmed {verb}: no database at {missing} (the node creates it at its first start; check --data/--config).");
                return 1;
            }

            database = host.Services.GetRequiredService<NodeDatabase>();
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                stderr.WriteLine($"minigptmed {verb}: configuration: {failure}");
            }

            return 2;
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            stderr.WriteLine($"minigptmed {verb}: configuration: {ex.Message}");
            return 2;
        }

        try
        {
            // Migrates like serve's start: a database left by an older node is brought to this binary's schema.
            await database.StartAsync().ConfigureAwait(false);
            return await action(database, host.Services).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException { Source: "Microsoft.Data.Sqlite" or "Npgsql" })
        {
            stderr.WriteLine($"minigptmed {verb}: database: {ex.Message}");
            return 1;
        }
        finally
        {
            await database.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The SQLite file the configuration names, when it does not exist; null otherwise (or for PostgreSQL).</summary>
    private static string? MissingSqliteFile(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptionsMonitor<DatabaseOptions>>().CurrentValue;
        if (options.ProviderKind != DatabaseProvider.Sqlite)
        {
            return null;
        }

        var dataDirectory = services.GetRequiredService<IOptionsMonitor<StorageOptions>>().CurrentValue.DataDirectory;
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(options.ConnectionString)
            ? $"Data Source={Path.Combine(Path.GetFullPath(dataDirectory), DatabaseOptions.DefaultSqliteFile)}"
            : options.ConnectionString);
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
        {
            return null;
        }

        var file = Path.GetFullPath(builder.DataSource);
        return File.Exists(file) ? null : file;
    }

    private sealed class StderrLoggerProvider(TextWriter stderr, LogLevel minimum) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new StderrLogger(stderr, minimum);

        public void Dispose()
        {
        }
    }
}
