using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using MiniGptMed.DicomNode.Administration;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Jobs;
using Npgsql;

namespace MiniGptMed.DicomNode.Database;

/// <summary>
/// The node's database: one of the two engines, its schema brought up to date by <see cref="StartAsync"/>, and
/// the catalogue and job queue over it. Built without I/O (so dependency injection can hand out
/// <see cref="Catalogue"/> and <see cref="Jobs"/> early); usable once <see cref="StartAsync"/> has run.
/// </summary>
public sealed class NodeDatabase : IAsyncDisposable
{
    private readonly SqlDialect _dialect;
    private readonly ConnectionSource _connections;
    private readonly GroupCommitWriter _catalogueWriter;
    private readonly IDbWriter _jobWriter;
    private readonly PostgreSqlListener? _listener;
    private readonly SqliteCheckpointer? _checkpointer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _location;
    private int _disposed;

    public NodeDatabase(DatabaseOptions options, string dataDirectory, JobOptions jobOptions, TimeProvider time, ILoggerFactory loggers, IStudyGrouping? grouping = null)
    {
        _time = time;
        _logger = loggers.CreateLogger<NodeDatabase>();
        Provider = options.ProviderKind;
        Signal = new InProcessJobSignal();
        var writerLogger = loggers.CreateLogger<GroupCommitWriter>();
        if (Provider == DatabaseProvider.Sqlite)
        {
            var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(options.ConnectionString)
                ? $"Data Source={Path.Combine(Path.GetFullPath(dataDirectory), DatabaseOptions.DefaultSqliteFile)}"
                : options.ConnectionString);
            _location = builder.DataSource;
            if (Path.GetDirectoryName(Path.GetFullPath(_location)) is { } folder && builder.Mode != SqliteOpenMode.Memory)
            {
                Directory.CreateDirectory(folder);
            }

            var sqlite = new SqliteConnectionSource(builder.ToString(), options.BusyTimeoutMilliseconds);
            _dialect = SqliteDialect.Instance;
            _connections = sqlite;
            // One writer for everything this process writes: SQLite has one writer at a time anyway. Its log is
            // checkpointed on a thread of its own, not inside the commits the receiving associations wait for.
            _checkpointer = new SqliteCheckpointer(sqlite.ConnectionString, loggers.CreateLogger<SqliteCheckpointer>());
            _catalogueWriter = new GroupCommitWriter(sqlite.OpenWriterAsync, keepConnection: true, options, time, writerLogger,
                committed: _checkpointer.Committed);
            _jobWriter = _catalogueWriter;
        }
        else
        {
            // The slim builder keeps to what is used here (text, numbers, timestamptz, arrays off): trimming- and AOT-safe.
            var dataSource = new NpgsqlSlimDataSourceBuilder(options.ConnectionString).Build();
            _location = $"{dataSource.ConnectionString.Split(';').FirstOrDefault(p => p.StartsWith("Host=", StringComparison.OrdinalIgnoreCase)) ?? "PostgreSQL"}";
            _dialect = PostgreSqlDialect.Instance;
            _connections = new PostgreSqlConnectionSource(dataSource);
            // The catalogue batches its rows; jobs go one transaction per call so that claims of several workers overlap.
            // Catalogue commits do not wait for the WAL flush (the counterpart of SQLite's synchronous=NORMAL): a crash
            // can lose the last ones, never corrupt anything, and the sealed files bring the rows back at start. Jobs
            // keep the server's setting: a claim or an outcome must not be lost once acknowledged.
            _catalogueWriter = new GroupCommitWriter(_connections.OpenAsync, keepConnection: false, options, time, writerLogger,
                beginStatement: "SET LOCAL synchronous_commit = off");
            _jobWriter = new DirectWriter(_connections);
        }

        Catalogue = new SqlCatalogue(_dialect, _catalogueWriter, _connections, grouping ?? ByStudyGrouping.Instance, time, loggers.CreateLogger<SqlCatalogue>());
        Jobs = new SqlJobQueue(_dialect, _jobWriter, _connections, Signal, jobOptions, time);
        Triage = new Worklist.Triage.SqlTriageStore(_dialect, _catalogueWriter, _connections);
        Users = new Http.Security.SqlUserStore(_dialect, _jobWriter, _connections, time);
        var administration = new SqlAdministration(_dialect, _jobWriter, _connections, time);
        Administration = administration;
        if (_connections is PostgreSqlConnectionSource postgreSql)
        {
            // Other nodes' jobs wake the workers; other processes' configuration changes are applied at once (the
            // version poll, Administration:PollMilliseconds, stays for the time the LISTEN connection is down).
            _listener = new PostgreSqlListener(postgreSql.DataSource, new Dictionary<string, Action<string>>(StringComparer.Ordinal)
            {
                [PostgreSqlDialect.Channel] = _ => Signal.Notify(),
                [SqlAdministration.Channel] = administration.Notified,
            }, time, loggers.CreateLogger<PostgreSqlListener>());
        }
    }

    public DatabaseProvider Provider { get; }

    public ICatalogue Catalogue { get; }

    public IJobQueue Jobs { get; }

    /// <summary>Each group's triage (priority, summary, findings) and the worklist query over it.</summary>
    public Worklist.Triage.ITriageStore Triage { get; }
    /// <summary>The console's and API's local users and their keys (docs/http.md).</summary>
    internal Http.Security.SqlUserStore Users { get; }
    /// <summary>Listening AEs, sources, destinations and rules (migration 0003), audited.</summary>
    public IAdministration Administration { get; }

    internal SqlAdministration SqlAdministration => (SqlAdministration)Administration;

    /// <summary>Wakes this process's workers; fed by LISTEN with PostgreSQL.</summary>
    public IJobSignal Signal { get; }

    /// <summary>The schema version after <see cref="StartAsync"/>.</summary>
    public int SchemaVersion { get; private set; }

    /// <summary>Transactions the catalogue's writer has committed (with SQLite: every write of the process).</summary>
    public long CatalogueCommits => _catalogueWriter.Commits;

    /// <summary>SQLite: WAL checkpoints made by the checkpoint thread (0 with PostgreSQL).</summary>
    internal long Checkpoints => _checkpointer?.Checkpoints ?? 0;

    /// <summary>Applies pending migrations and starts listening for other nodes' jobs and configuration changes.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        SchemaVersion = await MigrateAsync(cancellationToken).ConfigureAwait(false);
        _listener?.Start();
        DatabaseLog.Opened(_logger, Provider, _location, SchemaVersion);
    }

    /// <summary>Completes when the PostgreSQL LISTEN is in place (at once with SQLite).</summary>
    public Task ListeningAsync => _listener?.Listening ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }

        await _catalogueWriter.DisposeAsync().ConfigureAwait(false);
        // After the writer: its last commits are in the last checkpoint.
        _checkpointer?.Dispose();
        if (!ReferenceEquals(_jobWriter, _catalogueWriter))
        {
            await _jobWriter.DisposeAsync().ConfigureAwait(false);
        }

        await _connections.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        if (_connections is SqliteConnectionSource sqlite)
        {
            // Its own writer connection (WAL set before the first transaction); the group-commit writer is idle meanwhile.
            await using var connection = await sqlite.OpenWriterAsync(cancellationToken).ConfigureAwait(false);
            return await Migrator.MigrateAsync(connection, _dialect, _time, _logger, cancellationToken).ConfigureAwait(false);
        }

        await using var pg = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await Migrator.MigrateAsync(pg, _dialect, _time, _logger, cancellationToken).ConfigureAwait(false);
    }
}
