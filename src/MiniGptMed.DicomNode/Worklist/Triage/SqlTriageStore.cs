using System.Data.Common;
using System.Text.Json;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Database;

namespace MiniGptMed.DicomNode.Worklist.Triage;

/// <summary>
/// <see cref="ITriageStore"/> over either engine. Writes go through the process's writer (SQLite has one writer);
/// statements are the same text for both dialects except JSON, which <see cref="SqlDialect"/> casts.
/// </summary>
internal sealed class SqlTriageStore(SqlDialect dialect, IDbWriter writer, ConnectionSource connections) : ITriageStore
{
    private static string Columns(SqlDialect dialect) =>
        $"t.called_ae, t.group_uid, t.version, t.priority, t.summary, t.rule, t.modality, {dialect.JsonColumn("t.findings")}, t.decided_at";

    /// <summary>Not yet triaged groups sort after routine.</summary>
    private const int UntriagedRank = 4;

    public Task SaveAsync(StudyTriage triage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(triage);
        var json = JsonSerializer.Serialize(triage.Content, TriageJsonContext.Default.TriageContent);
        return writer.WriteAsync(async (connection, transaction, ct) =>
        {
            // An older analysis finishing late (a worker that lost its lease) must not overwrite a newer one.
            await using var command = connection.Command(transaction,
                "INSERT INTO study_triage (called_ae, group_uid, version, priority, priority_rank, summary, rule, modality, findings, decided_at) " +
                $"VALUES (@ae, @group, @version, @priority, @rank, @summary, @rule, @modality, {dialect.JsonParameter("@findings")}, @at) " +
                "ON CONFLICT (called_ae, group_uid) DO UPDATE SET version = excluded.version, priority = excluded.priority, " +
                "priority_rank = excluded.priority_rank, summary = excluded.summary, rule = excluded.rule, modality = excluded.modality, " +
                "findings = excluded.findings, decided_at = excluded.decided_at WHERE study_triage.version <= excluded.version")
                .With("@ae", triage.CalledAe).With("@group", triage.GroupUid).With("@version", triage.Version)
                .With("@priority", triage.Priority.ToText()).With("@rank", triage.Priority.Rank()).With("@summary", triage.Summary)
                .With("@rule", triage.Rule).With("@modality", triage.Modality).With("@findings", json).With("@at", dialect.Time(triage.DecidedAt));
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    public async Task<StudyTriage?> GetAsync(string calledAe, string groupUid, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null,
            $"SELECT {Columns(dialect)} FROM study_triage t " +
            "WHERE t.called_ae = @ae AND t.group_uid = @group").With("@ae", calledAe).With("@group", groupUid);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader, 0) : null;
    }

    public async Task<IReadOnlyList<WorklistEntry>> WorklistAsync(WorklistQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null, "");
        var where = new List<string>();
        if (query.CalledAe is { } ae)
        {
            where.Add("s.called_ae = @ae");
            command.With("@ae", ae);
        }

        if (query.State is { } state)
        {
            where.Add("s.state = @state");
            command.With("@state", SqlCatalogue.ToText(state));
        }

        if (query.Priority is { } priority)
        {
            where.Add("t.priority = @priority");
            command.With("@priority", priority.ToText());
        }

        if (query.Modality is { } modality)
        {
            where.Add("EXISTS (SELECT 1 FROM instances i WHERE i.called_ae = s.called_ae AND i.group_uid = s.group_uid AND upper(i.modality) = upper(@modality))");
            command.With("@modality", modality);
        }

        // The group's modality for display: the first of its instances' (a study of one modality is the usual case).
        command.CommandText =
            "SELECT s.called_ae, s.group_uid, s.group_level, s.study_instance_uid, s.first_received_at, s.last_received_at, s.instance_count, " +
            "s.state, s.state_changed_at, " +
            "(SELECT min(i.modality) FROM instances i WHERE i.called_ae = s.called_ae AND i.group_uid = s.group_uid), " +
            Columns(dialect) + " " +
            "FROM studies s LEFT JOIN study_triage t ON t.called_ae = s.called_ae AND t.group_uid = s.group_uid" +
            (where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where)) +
            $" ORDER BY coalesce(t.priority_rank, {UntriagedRank}), s.first_received_at, s.called_ae, s.group_uid LIMIT @limit";
        command.With("@limit", Math.Clamp(query.Limit, 1, 10_000));
        var rows = new List<WorklistEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var study = new StudyRecord
            {
                CalledAe = reader.GetString(0),
                GroupUid = reader.GetString(1),
                Level = reader.GetString(2) == "series" ? GroupLevel.Series : GroupLevel.Study,
                StudyInstanceUid = reader.GetString(3),
                FirstReceivedAt = dialect.ReadTime(reader, 4),
                LastReceivedAt = dialect.ReadTime(reader, 5),
                InstanceCount = reader.GetInt(6),
                State = SqlCatalogue.ParseState(reader.GetString(7)),
                StateChangedAt = dialect.ReadTime(reader, 8),
            };
            rows.Add(new WorklistEntry(study, reader.GetNullableString(9), reader.IsDBNull(10) ? null : Read(reader, 10)));
        }

        return rows;
    }

    private StudyTriage Read(DbDataReader reader, int at)
    {
        if (!TriagePriorities.TryParse(reader.GetString(at + 3), out var priority))
        {
            throw new InvalidDataException($"study_triage.priority '{reader.GetString(at + 3)}' is not a priority");
        }

        return new StudyTriage
        {
            CalledAe = reader.GetString(at),
            GroupUid = reader.GetString(at + 1),
            Version = Convert.ToInt64(reader.GetValue(at + 2), System.Globalization.CultureInfo.InvariantCulture),
            Priority = priority,
            Summary = reader.GetString(at + 4),
            Rule = reader.GetNullableString(at + 5),
            Modality = reader.GetNullableString(at + 6),
            Content = JsonSerializer.Deserialize(reader.GetString(at + 7), TriageJsonContext.Default.TriageContent) ?? new TriageContent(null, []),
            DecidedAt = dialect.ReadTime(reader, at + 8),
        };
    }
}
