using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MiniGptMed.DicomNode.Database;

/// <summary>Opens connections to the node's database, set up for their use.</summary>
internal abstract class ConnectionSource : IAsyncDisposable
{
    /// <summary>A connection for reading (SQLite: a pooled one, which WAL lets read while the writer writes).</summary>
    public abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}

internal sealed class SqliteConnectionSource(string connectionString, int busyTimeoutMilliseconds) : ConnectionSource
{
    public string ConnectionString { get; } = connectionString;

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // Another process (the CLI's `jobs retry`) may hold the write lock for a moment: wait, do not fail.
            await using var command = connection.Command(null, $"PRAGMA busy_timeout = {busyTimeoutMilliseconds}");
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The writer's connection: WAL (readers never wait for the writer, and a commit appends to the log instead of
    /// rewriting pages) with synchronous=NORMAL: a commit does not fsync; the WAL is fsynced at checkpoints. A
    /// power cut can lose the last commits but never corrupts the database (sqlite.org/pragma.html#pragma_synchronous);
    /// the catalogue's lost rows come back from the sealed files at start (ReconcileAsync). The log's checkpoints are
    /// <see cref="SqliteCheckpointer"/>'s; this connection makes one itself only past its safety net.
    /// </summary>
    public async ValueTask<DbConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; " +
            $"PRAGMA wal_autocheckpoint = {SqliteCheckpointer.WriterAutoCheckpointPages};");
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open (and the WAL unmerged) after Close; let them go with the database.
        SqliteConnection.ClearPool(new SqliteConnection(ConnectionString));
        return ValueTask.CompletedTask;
    }
}

internal sealed class PostgreSqlConnectionSource(NpgsqlDataSource dataSource) : ConnectionSource
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
