using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MiniGptMed.DicomNode.Database;

namespace MiniGptMed.DicomNode.Administration;

/// <summary>
/// <see cref="IAdministration"/> over the node's database (migration 0003): items in <c>config_items</c> as JSON,
/// the audit in <c>config_changes</c>, the version in <c>config_state</c>. A change runs in one transaction through
/// the node's writer: lock the version row, read what is stored, check, write the item, the audit row and the next
/// version — or nothing.
/// </summary>
internal sealed class SqlAdministration : IAdministration
{
    /// <summary>
    /// NOTIFY'd with the new version in the transaction of every change (PostgreSQL): every node LISTENs
    /// (<see cref="PostgreSqlListener"/>) and reads the configuration again at once; the version poll stays the fallback.
    /// </summary>
    public const string Channel = "minigptmed_config";

    private readonly SqlDialect _dialect;
    private readonly IDbWriter _writer;
    private readonly ConnectionSource _connections;
    private readonly TimeProvider _time;

    public SqlAdministration(SqlDialect dialect, IDbWriter writer, ConnectionSource connections, TimeProvider time)
    {
        _dialect = dialect;
        _writer = writer;
        _connections = connections;
        _time = time;
        Aes = new SqlConfigSet<ListeningAe>(this, ConfigKind.Ae, AdministrationJsonContext.Default.ListeningAe, ConfigValidation.Check, _ => 0);
        Sources = new SqlConfigSet<Source>(this, ConfigKind.Source, AdministrationJsonContext.Default.Source, ConfigValidation.Check, _ => 0);
        Destinations = new SqlConfigSet<Destination>(this, ConfigKind.Destination, AdministrationJsonContext.Default.Destination, ConfigValidation.Check, _ => 0);
        Rules = new SqlConfigSet<AnalysisRule>(this, ConfigKind.Rule, AdministrationJsonContext.Default.AnalysisRule, ConfigValidation.Check, r => r.Order);
    }

    /// <summary>A change committed: by this process (the version it wrote), or by another one (its NOTIFY's version; 0 if unknown).</summary>
    public event Action<long>? Changed;

    /// <summary>Another process's change, as PostgreSQL delivered its NOTIFY (the payload is the version; empty on reconnection).</summary>
    internal void Notified(string payload) =>
        Changed?.Invoke(long.TryParse(payload, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : 0);

    public IConfigSet<ListeningAe> Aes { get; }

    public IConfigSet<Source> Sources { get; }

    public IConfigSet<Destination> Destinations { get; }

    public IConfigSet<AnalysisRule> Rules { get; }

    internal SqlDialect Dialect => _dialect;

    internal TimeProvider Time => _time;

    public async Task<ConfigSnapshot> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = await ReadSnapshotAsync(connection, transaction, lockVersion: false, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return snapshot;
    }

    public async Task<long> VersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null, "SELECT version FROM config_state WHERE id = 1");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<ConfigChange>> ChangesAsync(int limit, ConfigKind? kind = null, string? name = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Only the filters given: a NULL parameter has no type PostgreSQL could infer.
        var where = kind is null ? "" : name is null ? "WHERE kind = @kind " : "WHERE kind = @kind AND name = @name ";
        await using var command = connection.Command(null,
            $"SELECT id, at, actor, kind, name, action, {_dialect.JsonColumn("before")}, {_dialect.JsonColumn("after")}, version FROM config_changes " +
            $"{where}ORDER BY id DESC LIMIT @limit")
            .With("@limit", Math.Clamp(limit, 1, 100_000));
        if (kind is { } k)
        {
            command.With("@kind", k.Text());
            if (name is not null)
            {
                command.With("@name", name);
            }
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var changes = new List<ConfigChange>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            changes.Add(new ConfigChange(
                reader.GetInt64(0), _dialect.ReadTime(reader, 1), reader.GetString(2), ConfigKinds.Parse(reader.GetString(3)), reader.GetString(4),
                reader.GetString(5), reader.GetNullableString(6), reader.GetNullableString(7), reader.GetInt64(8)));
        }

        return changes;
    }

    /// <summary>
    /// Stores <paramref name="seed"/> (what appsettings.json says) if the configuration was never seeded, audited as
    /// <paramref name="actor"/>; afterwards does nothing, so the database stays the truth. True when it seeded.
    /// </summary>
    public async Task<bool> SeedOnceAsync(ConfigSnapshot seed, string actor, CancellationToken cancellationToken = default)
    {
        var (seeded, version) = await _writer.WriteAsync(async (connection, transaction, ct) =>
        {
            var current = await LockVersionAsync(connection, transaction, ct).ConfigureAwait(false);
            await using (var check = connection.Command(transaction, "SELECT seeded_at FROM config_state WHERE id = 1"))
            {
                if (await check.ExecuteScalarAsync(ct).ConfigureAwait(false) is not (null or DBNull))
                {
                    return (false, current);
                }
            }

            var next = current + 1;
            var now = _time.GetUtcNow();
            foreach (var ae in seed.Aes)
            {
                await WriteItemAsync(connection, transaction, ConfigKind.Ae, ae.AeTitle, 0, Json(ae), now, insert: true, ct).ConfigureAwait(false);
                await AuditAsync(connection, transaction, now, actor, ConfigKind.Ae, ae.AeTitle, ConfigActions.Add, null, Json(ae), next, ct).ConfigureAwait(false);
            }

            foreach (var source in seed.Sources)
            {
                await WriteItemAsync(connection, transaction, ConfigKind.Source, source.Name, 0, Json(source), now, insert: true, ct).ConfigureAwait(false);
                await AuditAsync(connection, transaction, now, actor, ConfigKind.Source, source.Name, ConfigActions.Add, null, Json(source), next, ct).ConfigureAwait(false);
            }

            foreach (var destination in seed.Destinations)
            {
                await WriteItemAsync(connection, transaction, ConfigKind.Destination, destination.Name, 0, Json(destination), now, insert: true, ct).ConfigureAwait(false);
                await AuditAsync(connection, transaction, now, actor, ConfigKind.Destination, destination.Name, ConfigActions.Add, null, Json(destination), next, ct).ConfigureAwait(false);
            }

            foreach (var rule in seed.Rules)
            {
                await WriteItemAsync(connection, transaction, ConfigKind.Rule, rule.Name, rule.Order, Json(rule), now, insert: true, ct).ConfigureAwait(false);
                await AuditAsync(connection, transaction, now, actor, ConfigKind.Rule, rule.Name, ConfigActions.Add, null, Json(rule), next, ct).ConfigureAwait(false);
            }

            await using var mark = connection.Command(transaction, "UPDATE config_state SET version = @v, seeded_at = @t WHERE id = 1")
                .With("@v", next).With("@t", _dialect.Time(now));
            await mark.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await NotifyAsync(connection, transaction, next, ct).ConfigureAwait(false);
            return (true, next);
        }, cancellationToken).ConfigureAwait(false);
        if (seeded)
        {
            Changed?.Invoke(version);
        }

        return seeded;
    }

    /// <summary>Runs one change: <paramref name="change"/> gets the locked, current configuration and returns the outcome and whether it wrote.</summary>
    internal async Task<ChangeOutcome<T>> ChangeAsync<T>(
        Func<DbConnection, DbTransaction, ConfigSnapshot, long, CancellationToken, ValueTask<ChangeOutcome<T>>> change,
        CancellationToken cancellationToken) where T : class
    {
        var (outcome, version) = await _writer.WriteAsync(async (connection, transaction, ct) =>
        {
            var stored = await ReadSnapshotAsync(connection, transaction, lockVersion: true, ct).ConfigureAwait(false);
            var next = stored.Version + 1;
            var outcome = await change(connection, transaction, stored, next, ct).ConfigureAwait(false);
            if (!outcome.Succeeded)
            {
                return (outcome, stored.Version);
            }

            await using var bump = connection.Command(transaction, "UPDATE config_state SET version = @v WHERE id = 1").With("@v", next);
            await bump.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await NotifyAsync(connection, transaction, next, ct).ConfigureAwait(false);
            return (outcome, next);
        }, cancellationToken).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            Changed?.Invoke(version);
        }

        return outcome;
    }

    /// <summary>What is not finished for an item about to be removed: studies of an AE, jobs of an AE or a destination.</summary>
    internal async Task<IReadOnlyList<FieldError>> ActivityAsync(DbConnection connection, DbTransaction transaction, ConfigKind kind, string name, CancellationToken cancellationToken)
    {
        var uses = new List<FieldError>();
        if (kind == ConfigKind.Ae)
        {
            await using var studies = connection.Command(transaction,
                "SELECT count(*) FROM studies WHERE called_ae = @ae AND state IN ('receiving', 'stable', 'analysing')").With("@ae", name);
            var open = Convert.ToInt64(await studies.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            if (open > 0)
            {
                uses.Add(new("aeTitle", $"{open} of its studies are still being received or analysed."));
            }
        }

        if (kind is ConfigKind.Ae or ConfigKind.Destination)
        {
            var (jobKind, field) = kind == ConfigKind.Ae ? ("analyse", "calledAe") : ("export", "destination");
            await using var jobs = connection.Command(transaction,
                $"SELECT count(*) FROM jobs WHERE kind = @kind AND state IN ('pending', 'running', 'retrying') AND {JsonText("payload", field)} = @name")
                .With("@kind", jobKind).With("@name", name);
            var open = Convert.ToInt64(await jobs.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            if (open > 0)
            {
                uses.Add(new(ConfigReferences.NameField(kind), $"{open} of its {jobKind} jobs are not finished (jobs list --state pending,running,retrying)."));
            }
        }

        return uses;
    }

    internal async Task WriteItemAsync(DbConnection connection, DbTransaction transaction, ConfigKind kind, string name, int position, string json, DateTimeOffset now, bool insert, CancellationToken cancellationToken)
    {
        var sql = insert
            ? $"INSERT INTO config_items (kind, name, position, definition, updated_at) VALUES (@k, @n, @p, {_dialect.JsonParameter("@d")}, @t)"
            : $"UPDATE config_items SET position = @p, definition = {_dialect.JsonParameter("@d")}, updated_at = @t WHERE kind = @k AND name = @n";
        await using var command = connection.Command(transaction, sql)
            .With("@k", kind.Text()).With("@n", name).With("@p", position).With("@d", json).With("@t", _dialect.Time(now));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static async Task DeleteItemAsync(DbConnection connection, DbTransaction transaction, ConfigKind kind, string name, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, "DELETE FROM config_items WHERE kind = @k AND name = @n").With("@k", kind.Text()).With("@n", name);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal async Task AuditAsync(DbConnection connection, DbTransaction transaction, DateTimeOffset now, string actor, ConfigKind kind, string name, string action, string? before, string? after, long version, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction,
            $"INSERT INTO config_changes (at, actor, kind, name, action, before, after, version) VALUES (@t, @a, @k, @n, @x, {_dialect.JsonParameter("@b")}, {_dialect.JsonParameter("@f")}, @v)")
            .With("@t", _dialect.Time(now)).With("@a", actor).With("@k", kind.Text()).With("@n", name).With("@x", action)
            .With("@b", before).With("@f", after).With("@v", version);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static string Json<T>(T item) => item switch
    {
        ListeningAe ae => JsonSerializer.Serialize(ae, AdministrationJsonContext.Default.ListeningAe),
        Source s => JsonSerializer.Serialize(s, AdministrationJsonContext.Default.Source),
        Destination d => JsonSerializer.Serialize(d, AdministrationJsonContext.Default.Destination),
        AnalysisRule r => JsonSerializer.Serialize(r, AdministrationJsonContext.Default.AnalysisRule),
        _ => throw new ArgumentException($"{typeof(T).Name} is not a configuration item.", nameof(item)),
    };

    private async Task<ConfigSnapshot> ReadSnapshotAsync(DbConnection connection, DbTransaction transaction, bool lockVersion, CancellationToken cancellationToken)
    {
        var version = lockVersion
            ? await LockVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false)
            : await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var aes = new List<ListeningAe>();
        var sources = new List<Source>();
        var destinations = new List<Destination>();
        var rules = new List<AnalysisRule>();
        await using var command = connection.Command(transaction,
            $"SELECT kind, {_dialect.JsonColumn("definition")} FROM config_items ORDER BY kind, position, name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var json = reader.GetString(1);
            switch (ConfigKinds.Parse(reader.GetString(0)))
            {
                case ConfigKind.Ae:
                    aes.Add(Read(json, AdministrationJsonContext.Default.ListeningAe));
                    break;
                case ConfigKind.Source:
                    sources.Add(Read(json, AdministrationJsonContext.Default.Source));
                    break;
                case ConfigKind.Destination:
                    destinations.Add(Read(json, AdministrationJsonContext.Default.Destination));
                    break;
                case ConfigKind.Rule:
                    rules.Add(Read(json, AdministrationJsonContext.Default.AnalysisRule));
                    break;
            }
        }

        return new ConfigSnapshot(version, aes, sources, destinations, rules);
    }

    private static T Read<T>(string json, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(json, type) ?? throw new InvalidDataException($"config_items holds a null {typeof(T).Name}.");

    private async Task<long> LockVersionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // PostgreSQL: the row lock serialises the changes of several nodes; SQLite's write transaction already does.
        await using var command = connection.Command(transaction, $"SELECT version FROM config_state WHERE id = 1 {_dialect.RowLock}");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<long> ReadVersionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, "SELECT version FROM config_state WHERE id = 1");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task NotifyAsync(DbConnection connection, DbTransaction transaction, long version, CancellationToken cancellationToken)
    {
        if (_dialect.Provider != DatabaseProvider.PostgreSql)
        {
            return;
        }

        await using var command = connection.Command(transaction, $"SELECT pg_notify('{Channel}', @v)").With("@v", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private string JsonText(string column, string field) =>
        _dialect.Provider == DatabaseProvider.PostgreSql ? $"{column}->>'{field}'" : $"json_extract({column}, '$.{field}')";
}
