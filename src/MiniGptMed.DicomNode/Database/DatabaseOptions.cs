namespace MiniGptMed.DicomNode.Database;

/// <summary>Which engine holds the node's catalogue and job queue.</summary>
public enum DatabaseProvider
{
    /// <summary>Embedded, one file beside the instances: the default for one machine.</summary>
    Sqlite,

    /// <summary>A server that several nodes share (receivers and GPU workers on different machines).</summary>
    PostgreSql,
}

/// <summary>The node's database (configuration section <c>Database</c>); docs/database.md.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>The file name of the embedded database under <c>Storage:DataDirectory</c>.</summary>
    public const string DefaultSqliteFile = "node.db";

    /// <summary>
    /// <c>Sqlite</c> or <c>PostgreSql</c> (any case). Text, not the enum, so that a wrong value is a validation
    /// message naming the key rather than a binder exception.
    /// </summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>The parsed <see cref="Provider"/>; call only on validated options.</summary>
    public DatabaseProvider ProviderKind => TryParseProvider(Provider, out var kind)
        ? kind
        : throw new InvalidOperationException($"unvalidated {Section}:Provider '{Provider}'");

    public static bool TryParseProvider(string? text, out DatabaseProvider provider) =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out provider) && Enum.IsDefined(provider) && !int.TryParse(text, out _);

    /// <summary>
    /// ADO.NET connection string. Empty with SQLite: <c>Data Source=&lt;Storage:DataDirectory&gt;/node.db</c>.
    /// Required with PostgreSQL (<c>Host=db;Database=minigptmed;Username=node;Password=...</c>).
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Writes queued at most into one transaction (group commit). 256 rows of the catalogue are about 100 KB of
    /// SQLite pages: one commit stays well under a millisecond of the single writer's time.
    /// </summary>
    public int CommitBatchSize { get; set; } = 256;

    /// <summary>
    /// How long the writer waits for more writes before committing a batch that is not full (PostgreSQL's
    /// <c>commit_delay</c>). 0: commit at once what queued while the previous commit ran, which already batches
    /// concurrent writers and adds no latency to a lone one.
    /// </summary>
    public int CommitDelayMilliseconds { get; set; }

    /// <summary>Writes waiting for the writer at most; more wait for room (back-pressure on the reception).</summary>
    public int WriteQueueCapacity { get; set; } = 4096;

    /// <summary>SQLite: how long a statement waits for another process's lock (the CLI) before failing.</summary>
    public int BusyTimeoutMilliseconds { get; set; } = 5000;
}
