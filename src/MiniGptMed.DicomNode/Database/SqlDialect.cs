using System.Data.Common;

namespace MiniGptMed.DicomNode.Database;

/// <summary>
/// What differs between the two engines, kept to a few expressions so that every statement is written once:
/// how a time is stored (SQLite INTEGER milliseconds, PostgreSQL timestamptz), JSON columns (TEXT checked by
/// json_valid, jsonb), the claim's row lock, and waking other nodes.
/// </summary>
internal abstract class SqlDialect
{
    public abstract DatabaseProvider Provider { get; }

    /// <summary>The resource folder of this dialect's numbered migrations.</summary>
    public abstract string MigrationFolder { get; }

    /// <summary>A parameter value for a time column.</summary>
    public abstract object Time(DateTimeOffset time);

    public abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    public DateTimeOffset? ReadNullableTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);

    /// <summary>A JSON parameter in a value list (PostgreSQL casts the text to jsonb).</summary>
    public abstract string JsonParameter(string name);

    /// <summary>A JSON column read back as text.</summary>
    public abstract string JsonColumn(string column);

    /// <summary>The JSON array <paramref name="errors"/> with one {at, attempt, message} object appended.</summary>
    public abstract string AppendError(string errors, string atParameter, string attempt, string messageExpression);

    /// <summary>Two-argument minimum and maximum.</summary>
    public abstract string Least { get; }

    public abstract string Greatest { get; }

    /// <summary>Appended to the claim's inner select: PostgreSQL skips rows another node is claiming.</summary>
    public abstract string ClaimLock { get; }

    /// <summary>Appended to a select of a row about to be updated in the same transaction.</summary>
    public abstract string RowLock { get; }

    /// <summary>A statement that wakes the workers of other processes once the transaction commits; null: none.</summary>
    public abstract string? NotifyStatement { get; }

    /// <summary>Taken inside the migration transaction so that two nodes starting at once migrate one after the other.</summary>
    public abstract string? MigrationLock { get; }
}

internal sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override string MigrationFolder => "sqlite";

    public override object Time(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    public override string JsonParameter(string name) => name;

    public override string JsonColumn(string column) => column;

    public override string AppendError(string errors, string atParameter, string attempt, string messageExpression) =>
        $"json_insert({errors}, '$[#]', json_object('at', {atParameter}, 'attempt', {attempt}, 'message', {messageExpression}))";

    public override string Least => "min";

    public override string Greatest => "max";

    // One writer at a time (the database lock): a claim cannot race another claim.
    public override string ClaimLock => "";

    public override string RowLock => "";

    public override string? NotifyStatement => null;

    // BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default transaction) already holds the write lock.
    public override string? MigrationLock => null;
}

internal sealed class PostgreSqlDialect : SqlDialect
{
    /// <summary>The LISTEN/NOTIFY channel; the payload is only the job's kind, never the job.</summary>
    public const string Channel = "minigptmed_jobs";

    public static readonly PostgreSqlDialect Instance = new();

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    public override string MigrationFolder => "postgresql";

    public override object Time(DateTimeOffset time) => time.ToUniversalTime();

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));

    public override string JsonParameter(string name) => $"{name}::jsonb";

    public override string JsonColumn(string column) => $"{column}::text";

    public override string AppendError(string errors, string atParameter, string attempt, string messageExpression) =>
        $"{errors} || jsonb_build_array(jsonb_build_object('at', {atParameter}::text, 'attempt', {attempt}, 'message', ({messageExpression})::text))";

    public override string Least => "LEAST";

    public override string Greatest => "GREATEST";

    public override string ClaimLock => "FOR UPDATE SKIP LOCKED";

    public override string RowLock => "FOR UPDATE";

    public override string? NotifyStatement => $"SELECT pg_notify('{Channel}', @kind)";

    // Any constant shared by the nodes: pg_advisory_xact_lock is released with the transaction.
    public override string? MigrationLock => "SELECT pg_advisory_xact_lock(7365010942)";
}
