using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace MiniGptMed.DicomNode.Database;

/// <summary>One numbered migration script: <c>Migrations/&lt;dialect&gt;/NNNN_name.sql</c>, embedded in the binary.</summary>
internal sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// Applies the numbered scripts the database has not seen, in order, in one transaction, and records each in
/// <c>schema_version</c>: a node that stops half-way leaves the previous version whole, and a restart applies
/// nothing twice. Both dialects have the same numbers; a database newer than this binary is refused.
/// </summary>
internal static class Migrator
{
    private const string ResourcePrefix = "migrations/";

    /// <summary>The scripts of a dialect, by version; two scripts with one number are a build mistake.</summary>
    public static IReadOnlyList<Migration> Load(SqlDialect dialect)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"{ResourcePrefix}{dialect.MigrationFolder}/";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var file = resource[prefix.Length..];
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(file.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration resource '{resource}' is not named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(version, Path.GetFileNameWithoutExtension(file)[(underscore + 1)..], reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            // Numbers are handed out per feature branch, so a gap can exist for a while (0003 merged before 0002):
            // each script is applied once by its number, whatever was applied before it. Two with one number are a mistake.
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Migrations of {dialect.MigrationFolder} have two scripts numbered {migrations[i].Version}.");
            }
        }

        return migrations;
    }

    /// <summary>Brings the schema to the newest version; returns it.</summary>
    public static async Task<int> MigrateAsync(DbConnection connection, SqlDialect dialect, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var migrations = Load(dialect);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (dialect.MigrationLock is { } lockStatement)
        {
            await using var lockCommand = connection.Command(transaction, lockStatement);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var timeType = dialect.Provider == DatabaseProvider.Sqlite ? "INTEGER" : "timestamptz";
        await using (var create = connection.Command(transaction,
            $"CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied_at {timeType} NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var applied = await AppliedVersionsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var newest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (applied.FirstOrDefault(v => migrations.All(m => m.Version != v)) is var unknown and > 0)
        {
            throw new InvalidOperationException(unknown > newest
                ? $"The database's schema is version {unknown}, newer than this node's {newest}: run a node at least as new as the one that upgraded it."
                : $"The database's schema has step {unknown}, which this node (newest {newest}) does not have: run a node built with it.");
        }

        foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)))
        {
            await using (var apply = connection.Command(transaction, migration.Sql))
            {
                await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var record = connection.Command(transaction, "INSERT INTO schema_version (version, name, applied_at) VALUES (@v, @n, @t)")
                .With("@v", migration.Version).With("@n", migration.Name).With("@t", dialect.Time(time.GetUtcNow()));
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            DatabaseLog.MigrationApplied(logger, migration.Version, migration.Name);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return newest;
    }

    private static async Task<List<int>> AppliedVersionsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, "SELECT version FROM schema_version ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var versions = new List<int>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(reader.GetInt(0));
        }

        return versions;
    }

    public static async Task<int> CurrentVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, "SELECT coalesce(max(version), 0) FROM schema_version");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }
}
