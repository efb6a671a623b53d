using System.Data.Common;
using System.Text.Json;
using MiniGptMed.DicomNode.Database;

namespace MiniGptMed.DicomNode.Jobs;

/// <summary>
/// <see cref="IJobQueue"/> over either engine: the statements are shared, <see cref="SqlDialect"/> supplies what
/// differs. With PostgreSQL the claim's inner select takes <c>FOR UPDATE SKIP LOCKED</c>, so workers of several
/// nodes claim disjoint rows without waiting on each other; with SQLite every write goes through the process's
/// single writer, so claims are serialised by construction. All times come from <see cref="TimeProvider"/>, never
/// from the database's clock, so that a test can move time and several nodes agree with their own clocks.
/// </summary>
internal sealed class SqlJobQueue(
    SqlDialect dialect,
    IDbWriter writer,
    ConnectionSource connections,
    IJobSignal signal,
    JobOptions options,
    TimeProvider time) : IJobQueue
{
    private const string Claimable = "('pending', 'retrying')";

    private readonly string _columns =
        $"id, kind, idempotency_key, {dialect.JsonColumn("payload")}, state, priority, attempt, max_attempts, scheduled_at, " +
        $"lease_owner, lease_expires_at, {dialect.JsonColumn("errors")}, created_at, updated_at, finished_at";

    public async Task<EnqueueResult> EnqueueAsync(JobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.IdempotencyKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Priority, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.Priority, 9);
        // The payload is checked here, not left to the engine: SQLite and PostgreSQL would reject it with different errors.
        using (JsonDocument.Parse(request.Payload))
        {
        }

        var now = time.GetUtcNow();
        var result = await writer.WriteAsync(async (connection, transaction, ct) =>
        {
            await using var insert = connection.Command(transaction,
                "INSERT INTO jobs (kind, idempotency_key, payload, state, priority, attempt, max_attempts, scheduled_at, created_at, updated_at) " +
                $"VALUES (@kind, @key, {dialect.JsonParameter("@payload")}, 'pending', @priority, 0, @max, @scheduled, @now, @now) " +
                "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id")
                .With("@kind", request.Kind).With("@key", request.IdempotencyKey).With("@payload", request.Payload)
                .With("@priority", request.Priority).With("@max", request.MaxAttempts ?? options.MaxAttempts)
                .With("@scheduled", dialect.Time(request.ScheduledAt ?? now)).With("@now", dialect.Time(now));
            if (await insert.ExecuteScalarAsync(ct).ConfigureAwait(false) is { } id and not DBNull)
            {
                await NotifyOthersAsync(connection, transaction, request.Kind, ct).ConfigureAwait(false);
                return new EnqueueResult(Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture), true);
            }

            await using var existing = connection.Command(transaction, "SELECT id FROM jobs WHERE idempotency_key = @key").With("@key", request.IdempotencyKey);
            return new EnqueueResult(Convert.ToInt64(await existing.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture), false);
        }, cancellationToken).ConfigureAwait(false);
        if (result.Created)
        {
            signal.Notify();
        }

        return result;
    }

    public async Task<IReadOnlyList<Job>> ClaimAsync(string owner, IReadOnlyCollection<string> kinds, int limit, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        if (kinds.Count == 0 || limit <= 0)
        {
            return [];
        }

        var jobs = await writer.WriteAsync(async (connection, transaction, ct) =>
        {
            var now = time.GetUtcNow();
            await using var claim = connection.Command(transaction, "");
            var kindList = claim.WithList("k", kinds);
            claim.CommandText =
                "UPDATE jobs SET state = 'running', attempt = attempt + 1, lease_owner = @owner, lease_expires_at = @expires, updated_at = @now " +
                $"WHERE id IN (SELECT id FROM jobs WHERE state IN {Claimable} AND scheduled_at <= @now AND kind IN {kindList} " +
                $"ORDER BY priority, scheduled_at, id LIMIT @limit {dialect.ClaimLock}) RETURNING {_columns}";
            claim.With("@owner", owner).With("@expires", dialect.Time(now + lease)).With("@now", dialect.Time(now)).With("@limit", limit);
            return await ReadJobsAsync(claim, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        // RETURNING gives no order: hand them out in the claim's order.
        return [.. jobs.OrderBy(j => j.Priority).ThenBy(j => j.ScheduledAt).ThenBy(j => j.Id)];
    }

    public Task<bool> RenewLeaseAsync(long id, string owner, TimeSpan lease, CancellationToken cancellationToken = default) =>
        UpdateHeldAsync(id, owner, "lease_expires_at = @expires", now => [("@expires", dialect.Time(now + lease))], cancellationToken);

    public Task<bool> CompleteAsync(long id, string owner, CancellationToken cancellationToken = default) =>
        UpdateHeldAsync(id, owner, "state = 'succeeded', finished_at = @now, lease_owner = NULL, lease_expires_at = NULL", _ => [], cancellationToken);

    public async Task<bool> ReleaseAsync(long id, string owner, CancellationToken cancellationToken = default)
    {
        var released = await UpdateHeldAsync(id, owner,
            "state = 'pending', attempt = attempt - 1, scheduled_at = @now, lease_owner = NULL, lease_expires_at = NULL", _ => [], cancellationToken).ConfigureAwait(false);
        if (released)
        {
            signal.Notify();
        }

        return released;
    }

    public async Task<JobState?> FailAsync(long id, string owner, string error, bool permanent = false, CancellationToken cancellationToken = default)
    {
        var random = Random.Shared.NextDouble();
        return await writer.WriteAsync<JobState?>(async (connection, transaction, ct) =>
        {
            var now = time.GetUtcNow();
            await using var read = connection.Command(transaction,
                $"SELECT attempt, max_attempts FROM jobs WHERE id = @id AND state = 'running' AND lease_owner = @owner {dialect.RowLock}")
                .With("@id", id).With("@owner", owner);
            int attempt, maxAttempts;
            await using (var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    return null;
                }

                attempt = reader.GetInt(0);
                maxAttempts = reader.GetInt(1);
            }

            var state = permanent || attempt >= maxAttempts ? JobState.DeadLetter : JobState.Retrying;
            await using var update = connection.Command(transaction,
                "UPDATE jobs SET state = @state, scheduled_at = @scheduled, finished_at = @finished, lease_owner = NULL, lease_expires_at = NULL, " +
                $"updated_at = @now, errors = {dialect.AppendError("errors", "@at", "attempt", "@message")} " +
                "WHERE id = @id AND state = 'running' AND lease_owner = @owner")
                .With("@state", state.ToText())
                .With("@scheduled", dialect.Time(state == JobState.Retrying ? now + options.Backoff(attempt, random) : now))
                .With("@finished", state == JobState.DeadLetter ? dialect.Time(now) : null)
                .With("@now", dialect.Time(now)).With("@at", now.ToString("O")).With("@message", error).With("@id", id).With("@owner", owner);
            return await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1 ? state : null;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> CancelAsync(long id, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(
            "UPDATE jobs SET state = 'cancelled', finished_at = @now, updated_at = @now, lease_owner = NULL, lease_expires_at = NULL " +
            "WHERE id = @id AND state IN ('pending', 'retrying', 'running')", id, notify: false, cancellationToken).ConfigureAwait(false) > 0;

    public async Task<bool> RetryAsync(long id, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(
            "UPDATE jobs SET state = 'pending', attempt = 0, scheduled_at = @now, finished_at = NULL, updated_at = @now " +
            "WHERE id = @id AND state IN ('dead_letter', 'cancelled')", id, notify: true, cancellationToken).ConfigureAwait(false) > 0;

    public async Task<int> RescueExpiredAsync(CancellationToken cancellationToken = default)
    {
        var rescued = await writer.WriteAsync(async (connection, transaction, ct) =>
        {
            var now = time.GetUtcNow();
            await using var rescue = connection.Command(transaction,
                "UPDATE jobs SET " +
                "state = CASE WHEN attempt >= max_attempts THEN 'dead_letter' ELSE 'retrying' END, " +
                "finished_at = CASE WHEN attempt >= max_attempts THEN @now ELSE NULL END, " +
                $"errors = {dialect.AppendError("errors", "@at", "attempt", "'lease of ' || lease_owner || ' expired (worker stopped or stalled)'")}, " +
                "lease_owner = NULL, lease_expires_at = NULL, scheduled_at = @now, updated_at = @now " +
                "WHERE state = 'running' AND lease_expires_at < @now")
                .With("@now", dialect.Time(now)).With("@at", now.ToString("O"));
            var count = await rescue.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            if (count > 0)
            {
                await NotifyOthersAsync(connection, transaction, "rescued", ct).ConfigureAwait(false);
            }

            return count;
        }, cancellationToken).ConfigureAwait(false);
        if (rescued > 0)
        {
            signal.Notify();
        }

        return rescued;
    }

    public Task<int> PruneAsync(TimeSpan retention, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(async (connection, transaction, ct) =>
        {
            await using var prune = connection.Command(transaction,
                "DELETE FROM jobs WHERE state IN ('succeeded', 'cancelled') AND finished_at < @cutoff")
                .With("@cutoff", dialect.Time(time.GetUtcNow() - retention));
            return await prune.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<Job?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null, $"SELECT {_columns} FROM jobs WHERE id = @id").With("@id", id);
        return (await ReadJobsAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<Job>> ListAsync(JobQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null, "");
        var where = new List<string>();
        if (query.States.Count > 0)
        {
            where.Add($"state IN {command.WithList("s", query.States.Select(s => (object)s.ToText()))}");
        }

        if (query.Kinds.Count > 0)
        {
            where.Add($"kind IN {command.WithList("k", query.Kinds)}");
        }

        command.CommandText = $"SELECT {_columns} FROM jobs {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")} ORDER BY id DESC LIMIT @limit";
        command.With("@limit", Math.Max(1, query.Limit));
        return await ReadJobsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<JobState, int>> CountByStateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null, "SELECT state, count(*) FROM jobs GROUP BY state");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<JobState, int>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[JobStates.Parse(reader.GetString(0))] = reader.GetInt(1);
        }

        return counts;
    }

    /// <summary>An update of a job the caller holds: running, and leased to <paramref name="owner"/>.</summary>
    private Task<bool> UpdateHeldAsync(long id, string owner, string set, Func<DateTimeOffset, (string Name, object Value)[]> parameters, CancellationToken cancellationToken) =>
        writer.WriteAsync(async (connection, transaction, ct) =>
        {
            var now = time.GetUtcNow();
            await using var command = connection.Command(transaction,
                $"UPDATE jobs SET {set}, updated_at = @now WHERE id = @id AND state = 'running' AND lease_owner = @owner")
                .With("@now", dialect.Time(now)).With("@id", id).With("@owner", owner);
            foreach (var (name, value) in parameters(now))
            {
                command.With(name, value);
            }

            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        }, cancellationToken);

    private async Task<int> ExecuteAsync(string sql, long id, bool notify, CancellationToken cancellationToken)
    {
        var count = await writer.WriteAsync(async (connection, transaction, ct) =>
        {
            await using var command = connection.Command(transaction, sql).With("@now", dialect.Time(time.GetUtcNow())).With("@id", id);
            var count = await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            if (notify && count > 0)
            {
                await NotifyOthersAsync(connection, transaction, "retried", ct).ConfigureAwait(false);
            }

            return count;
        }, cancellationToken).ConfigureAwait(false);
        if (notify && count > 0)
        {
            signal.Notify();
        }

        return count;
    }

    /// <summary>PostgreSQL: NOTIFY inside the transaction, delivered to the other nodes when it commits (never the job itself).</summary>
    private async Task NotifyOthersAsync(DbConnection connection, DbTransaction transaction, string kind, CancellationToken cancellationToken)
    {
        if (dialect.NotifyStatement is { } notify)
        {
            await using var command = connection.Command(transaction, notify).With("@kind", kind);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<List<Job>> ReadJobsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var jobs = new List<Job>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(new Job
            {
                Id = reader.GetInt64(0),
                Kind = reader.GetString(1),
                IdempotencyKey = reader.GetString(2),
                Payload = reader.GetString(3),
                State = JobStates.Parse(reader.GetString(4)),
                Priority = reader.GetInt(5),
                Attempt = reader.GetInt(6),
                MaxAttempts = reader.GetInt(7),
                ScheduledAt = dialect.ReadTime(reader, 8),
                LeaseOwner = reader.GetNullableString(9),
                LeaseExpiresAt = dialect.ReadNullableTime(reader, 10),
                Errors = JsonSerializer.Deserialize(reader.GetString(11), JobJsonContext.Default.ListJobError) ?? [],
                CreatedAt = dialect.ReadTime(reader, 12),
                UpdatedAt = dialect.ReadTime(reader, 13),
                FinishedAt = dialect.ReadNullableTime(reader, 14),
            });
        }

        return jobs;
    }
}
