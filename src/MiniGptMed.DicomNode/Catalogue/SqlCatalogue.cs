using System.Data.Common;
using Microsoft.Extensions.Logging;
using MiniGptMed.DicomNode.Database;

namespace MiniGptMed.DicomNode.Catalogue;

/// <summary>
/// <see cref="ICatalogue"/> over either engine. Rows are written through a <see cref="GroupCommitWriter"/>: the
/// reception's concurrent calls share commits, and with SQLite in WAL mode at synchronous=NORMAL a commit does not
/// fsync, so the catalogue adds no fsync per instance to the ingest path.
/// </summary>
internal sealed class SqlCatalogue(
    SqlDialect dialect,
    IDbWriter writer,
    ConnectionSource connections,
    IStudyGrouping grouping,
    TimeProvider time,
    ILogger logger) : ICatalogue
{
    private const string InstanceColumns =
        "sop_class_uid, sop_instance_uid, study_instance_uid, series_instance_uid, modality, body_part, series_description, " +
        "series_number, instance_number, calling_ae, called_ae, peer_address, received_at, path, size";

    private const string StudyColumns =
        "called_ae, group_uid, group_level, study_instance_uid, first_received_at, last_received_at, instance_count, state, state_changed_at";

    // What a read returns: the columns reception writes, then those the decisions write (migration 0002).
    private const string StudyReadColumns = StudyColumns + ", findings, covered_through";

    /// <summary>The study row of each recorded instance: built once, as the receiving path runs it per instance.</summary>
    private readonly string _studyUpsert =
        $"INSERT INTO studies ({StudyColumns}) VALUES (@ae, @group, @level, @study, @received, @received, 1, 'receiving', @now) " +
        $"ON CONFLICT (called_ae, group_uid) DO UPDATE SET first_received_at = {dialect.Least}(studies.first_received_at, excluded.first_received_at), " +
        $"last_received_at = {dialect.Greatest}(studies.last_received_at, excluded.last_received_at), instance_count = studies.instance_count + @add";

    /// <summary>Rows removed per transaction by reconciliation.</summary>
    private const int RemoveBatch = 500;

    /// <summary>Rows reconciliation keeps in flight through the writer at once.</summary>
    private const int ReconcileWindow = 1024;

    public Task<bool> RecordAsync(InstanceRecord instance, CancellationToken cancellationToken = default)
    {
        Validate(instance);
        return writer.WriteAsync((connection, transaction, ct) => UpsertAsync(connection, transaction, instance, ct), cancellationToken);
    }

    public async Task<bool> RemoveAsync(string sopInstanceUid, CancellationToken cancellationToken = default) =>
        await writer.WriteAsync((connection, transaction, ct) => RemoveAsync(connection, transaction, [sopInstanceUid], ct), cancellationToken)
            .ConfigureAwait(false) > 0;

    public async Task<ReconcileResult> ReconcileAsync(IAsyncEnumerable<InstanceRecord> storedFiles, CancellationToken cancellationToken = default)
    {
        var known = new Dictionary<string, (string Path, long Size)>(StringComparer.Ordinal);
        await using (var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false))
        await using (var command = connection.Command(null, "SELECT sop_instance_uid, path, size FROM instances"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                known[reader.GetString(0)] = (reader.GetString(1), reader.GetInt64(2));
            }
        }

        int added = 0, updated = 0, unchanged = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var inFlight = new List<Task>();
        await foreach (var file in storedFiles.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            seen.Add(file.SopInstanceUid);
            if (known.TryGetValue(file.SopInstanceUid, out var row) && row.Path == file.Path && row.Size == file.Size)
            {
                unchanged++;
                continue;
            }

            _ = known.ContainsKey(file.SopInstanceUid) ? updated++ : added++;
            inFlight.Add(RecordAsync(file, cancellationToken));
            if (inFlight.Count >= ReconcileWindow)
            {
                await Task.WhenAll(inFlight).ConfigureAwait(false);
                inFlight.Clear();
            }
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);

        var gone = known.Keys.Where(uid => !seen.Contains(uid)).ToList();
        for (var i = 0; i < gone.Count; i += RemoveBatch)
        {
            var chunk = gone.GetRange(i, Math.Min(RemoveBatch, gone.Count - i));
            await writer.WriteAsync((connection, transaction, ct) => RemoveAsync(connection, transaction, chunk, ct), cancellationToken).ConfigureAwait(false);
        }

        DatabaseLog.Reconciled(logger, added, updated, gone.Count, unchanged);
        return new ReconcileResult(added, updated, gone.Count, unchanged);
    }

    public async Task<InstanceRecord?> InstanceAsync(string sopInstanceUid, CancellationToken cancellationToken = default) =>
        (await QueryInstancesAsync($"SELECT {InstanceColumns} FROM instances WHERE sop_instance_uid = @sop", [("@sop", sopInstanceUid)], cancellationToken)
            .ConfigureAwait(false)).SingleOrDefault();

    public Task<IReadOnlyList<InstanceRecord>> InstancesAsync(string studyInstanceUid, string? seriesInstanceUid = null, CancellationToken cancellationToken = default) =>
        QueryInstancesAsync(
            $"SELECT {InstanceColumns} FROM instances WHERE study_instance_uid = @study" +
            (seriesInstanceUid is null ? "" : " AND series_instance_uid = @series") +
            " ORDER BY series_number, series_instance_uid, instance_number, sop_instance_uid",
            [("@study", studyInstanceUid), ("@series", seriesInstanceUid)], cancellationToken);

    public Task<IReadOnlyList<InstanceRecord>> GroupInstancesAsync(string calledAe, string groupUid, CancellationToken cancellationToken = default) =>
        QueryInstancesAsync(
            $"SELECT {InstanceColumns} FROM instances WHERE called_ae = @ae AND group_uid = @group " +
            "ORDER BY series_number, series_instance_uid, instance_number, sop_instance_uid",
            [("@ae", calledAe), ("@group", groupUid)], cancellationToken);

    public async Task<StudyRecord?> StudyAsync(string calledAe, string groupUid, CancellationToken cancellationToken = default) =>
        (await QueryStudiesAsync($"SELECT {StudyReadColumns} FROM studies WHERE called_ae = @ae AND group_uid = @group",
            [("@ae", calledAe), ("@group", groupUid)], cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public Task<IReadOnlyList<StudyRecord>> StudiesAsync(StudyState? state = null, int limit = 1000, CancellationToken cancellationToken = default) =>
        QueryStudiesAsync(
            $"SELECT {StudyReadColumns} FROM studies" + (state is null ? "" : " WHERE state = @state") + " ORDER BY last_received_at DESC LIMIT @limit",
            [("@state", state is { } s ? ToText(s) : null), ("@limit", Math.Max(1, limit))], cancellationToken);

    public async Task<IReadOnlyList<DueStudy>> DueStudiesAsync(string? calledAe, TimeSpan stableAfter, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var stableCutoff = now - stableAfter;
        var maxWaitCutoff = now - maxWait;
        var studies = await QueryStudiesAsync(
            $"SELECT {StudyReadColumns} FROM studies WHERE state = 'receiving'" + (calledAe is null ? "" : " AND called_ae = @ae") +
            " AND (last_received_at <= @stable OR first_received_at <= @maxwait) ORDER BY first_received_at",
            [("@ae", calledAe), ("@stable", dialect.Time(stableCutoff)), ("@maxwait", dialect.Time(maxWaitCutoff))], cancellationToken).ConfigureAwait(false);
        return [.. studies.Select(s => new DueStudy(s, s.LastReceivedAt <= stableCutoff ? DueReason.Stable : DueReason.MaxWait))];
    }

    public async Task<IReadOnlyList<ReceivingExtent>> ReceivingExtentsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null,
            "SELECT called_ae, min(last_received_at), min(first_received_at) FROM studies WHERE state = 'receiving' GROUP BY called_ae");
        var extents = new List<ReceivingExtent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            extents.Add(new ReceivingExtent(reader.GetString(0), dialect.ReadTime(reader, 1), dialect.ReadTime(reader, 2)));
        }

        return extents;
    }

    public Task<IReadOnlyList<StudyRecord>> LateArrivalStudiesAsync(CancellationToken cancellationToken = default) =>
        // The filter runs in the database: every pass would otherwise read back the node's whole analysed history.
        QueryStudiesAsync(
            $"SELECT {StudyReadColumns} FROM studies WHERE state IN ('analysed', 'ignored') " +
            "AND last_received_at > COALESCE(covered_through, state_changed_at) ORDER BY last_received_at",
            [], cancellationToken);

    public Task<bool> TransitionStudyAsync(string calledAe, string groupUid, StudyState from, StudyState to, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(async (connection, transaction, ct) =>
        {
            await using var command = connection.Command(transaction,
                "UPDATE studies SET state = @to, state_changed_at = @now WHERE called_ae = @ae AND group_uid = @group AND state = @from")
                .With("@to", ToText(to)).With("@now", dialect.Time(time.GetUtcNow())).With("@ae", calledAe).With("@group", groupUid).With("@from", ToText(from));
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        }, cancellationToken);

    public Task<bool> RecordDecisionAsync(string calledAe, string groupUid, StudyState from, StudyState to, DateTimeOffset coveredThrough, string? findings,
        CancellationToken cancellationToken = default) =>
        writer.WriteAsync(async (connection, transaction, ct) =>
        {
            await using var command = connection.Command(transaction,
                "UPDATE studies SET state = @to, state_changed_at = @now, covered_through = @covered, findings = @findings " +
                "WHERE called_ae = @ae AND group_uid = @group AND state = @from")
                .With("@to", ToText(to)).With("@now", dialect.Time(time.GetUtcNow())).With("@covered", dialect.Time(coveredThrough)).With("@findings", findings)
                .With("@ae", calledAe).With("@group", groupUid).With("@from", ToText(from));
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        }, cancellationToken);

    public Task<bool> CoverLateArrivalsAsync(string calledAe, string groupUid, StudyState state, DateTimeOffset through, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(async (connection, transaction, ct) =>
        {
            // Compare-and-set on the mark: of two passes (or nodes) that see the same late arrivals, one moves it.
            await using var command = connection.Command(transaction,
                "UPDATE studies SET covered_through = @through WHERE called_ae = @ae AND group_uid = @group AND state = @state " +
                "AND (covered_through IS NULL OR covered_through < @through)")
                .With("@through", dialect.Time(through)).With("@ae", calledAe).With("@group", groupUid).With("@state", ToText(state));
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        }, cancellationToken);

    public static string ToText(StudyState state) => state switch
    {
        StudyState.Receiving => "receiving",
        StudyState.Stable => "stable",
        StudyState.Analysing => "analysing",
        StudyState.Analysed => "analysed",
        StudyState.Failed => "failed",
        StudyState.Ignored => "ignored",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static StudyState ParseState(string text) => Enum.Parse<StudyState>(text, ignoreCase: true);

    private static void Validate(InstanceRecord instance)
    {
        // A row without its keys could never be found again nor grouped: refuse it loudly rather than store it.
        ArgumentException.ThrowIfNullOrWhiteSpace(instance.SopInstanceUid, nameof(instance.SopInstanceUid));
        ArgumentException.ThrowIfNullOrWhiteSpace(instance.SopClassUid, nameof(instance.SopClassUid));
        ArgumentException.ThrowIfNullOrWhiteSpace(instance.StudyInstanceUid, nameof(instance.StudyInstanceUid));
        ArgumentException.ThrowIfNullOrWhiteSpace(instance.SeriesInstanceUid, nameof(instance.SeriesInstanceUid));
        ArgumentException.ThrowIfNullOrWhiteSpace(instance.CalledAe, nameof(instance.CalledAe));
        ArgumentException.ThrowIfNullOrWhiteSpace(instance.Path, nameof(instance.Path));
        ArgumentOutOfRangeException.ThrowIfNegative(instance.Size, nameof(instance.Size));
    }

    private async ValueTask<bool> UpsertAsync(DbConnection connection, DbTransaction transaction, InstanceRecord instance, CancellationToken ct)
    {
        var level = grouping.LevelFor(instance.CalledAe);
        var group = level == GroupLevel.Study ? instance.StudyInstanceUid : instance.SeriesInstanceUid;

        (string Ae, string Group)? previous = null;
        var find = connection.Prepared(transaction, "SELECT called_ae, group_uid FROM instances WHERE sop_instance_uid = @sop")
            .With("@sop", instance.SopInstanceUid);
        await using (var reader = await find.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                previous = (reader.GetString(0), reader.GetString(1));
            }
        }

        var upsert = connection.Prepared(transaction,
            $"INSERT INTO instances ({InstanceColumns}, group_uid) VALUES (@class, @sop, @study, @series, @modality, @body, @description, " +
            "@series_number, @instance_number, @calling, @called, @peer, @received, @path, @size, @group) " +
            "ON CONFLICT (sop_instance_uid) DO UPDATE SET sop_class_uid = excluded.sop_class_uid, study_instance_uid = excluded.study_instance_uid, " +
            "series_instance_uid = excluded.series_instance_uid, modality = excluded.modality, body_part = excluded.body_part, " +
            "series_description = excluded.series_description, series_number = excluded.series_number, instance_number = excluded.instance_number, " +
            "calling_ae = excluded.calling_ae, called_ae = excluded.called_ae, peer_address = excluded.peer_address, received_at = excluded.received_at, " +
            "path = excluded.path, size = excluded.size, group_uid = excluded.group_uid")
            .With("@class", instance.SopClassUid).With("@sop", instance.SopInstanceUid).With("@study", instance.StudyInstanceUid)
            .With("@series", instance.SeriesInstanceUid).With("@modality", instance.Modality).With("@body", instance.BodyPartExamined)
            .With("@description", instance.SeriesDescription).With("@series_number", instance.SeriesNumber).With("@instance_number", instance.InstanceNumber)
            .With("@calling", instance.CallingAe).With("@called", instance.CalledAe).With("@peer", instance.PeerAddress)
            .With("@received", dialect.Time(instance.ReceivedAt)).With("@path", instance.Path).With("@size", instance.Size).With("@group", group);
        await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);

        var moved = previous is not { } p || p.Ae != instance.CalledAe || p.Group != group;
        // Received again into the same group: the count stays, the times still move (a re-send is activity).
        var study = connection.Prepared(transaction, _studyUpsert)
            .With("@ae", instance.CalledAe).With("@group", group).With("@level", level == GroupLevel.Study ? "study" : "series")
            .With("@study", instance.StudyInstanceUid).With("@received", dialect.Time(instance.ReceivedAt))
            .With("@now", dialect.Time(time.GetUtcNow())).With("@add", moved ? 1 : 0);
        await study.ExecuteNonQueryAsync(ct).ConfigureAwait(false);

        if (moved && previous is { } old)
        {
            await DecrementAsync(connection, transaction, old.Ae, old.Group, ct).ConfigureAwait(false);
        }

        return previous is not null;
    }

    private static async ValueTask<int> RemoveAsync(DbConnection connection, DbTransaction transaction, List<string> sopInstanceUids, CancellationToken ct)
    {
        var count = 0;
        foreach (var uid in sopInstanceUids)
        {
            (string Ae, string Group)? removed = null;
            await using (var delete = connection.Command(transaction, "DELETE FROM instances WHERE sop_instance_uid = @sop RETURNING called_ae, group_uid").With("@sop", uid))
            await using (var reader = await delete.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    removed = (reader.GetString(0), reader.GetString(1));
                }
            }

            if (removed is { } r)
            {
                count++;
                await DecrementAsync(connection, transaction, r.Ae, r.Group, ct).ConfigureAwait(false);
            }
        }

        // A group still receiving whose every file is gone never was: drop it. Groups further on keep their history.
        await using var empty = connection.Command(transaction, "DELETE FROM studies WHERE state = 'receiving' AND instance_count <= 0");
        await empty.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return count;
    }

    private static async ValueTask DecrementAsync(DbConnection connection, DbTransaction transaction, string calledAe, string group, CancellationToken ct)
    {
        await using var command = connection.Command(transaction,
            "UPDATE studies SET instance_count = instance_count - 1 WHERE called_ae = @ae AND group_uid = @group")
            .With("@ae", calledAe).With("@group", group);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<InstanceRecord>> QueryInstancesAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null, sql);
        foreach (var (name, value) in parameters.Where(p => sql.Contains(p.Name, StringComparison.Ordinal)))
        {
            command.With(name, value);
        }

        var rows = new List<InstanceRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new InstanceRecord
            {
                SopClassUid = reader.GetString(0),
                SopInstanceUid = reader.GetString(1),
                StudyInstanceUid = reader.GetString(2),
                SeriesInstanceUid = reader.GetString(3),
                Modality = reader.GetNullableString(4),
                BodyPartExamined = reader.GetNullableString(5),
                SeriesDescription = reader.GetNullableString(6),
                SeriesNumber = reader.GetNullableInt32(7),
                InstanceNumber = reader.GetNullableInt32(8),
                CallingAe = reader.GetString(9),
                CalledAe = reader.GetString(10),
                PeerAddress = reader.GetNullableString(11),
                ReceivedAt = dialect.ReadTime(reader, 12),
                Path = reader.GetString(13),
                Size = reader.GetInt64(14),
            });
        }

        return rows;
    }

    private async Task<IReadOnlyList<StudyRecord>> QueryStudiesAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null, sql);
        foreach (var (name, value) in parameters.Where(p => sql.Contains(p.Name, StringComparison.Ordinal)))
        {
            command.With(name, value);
        }

        var rows = new List<StudyRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new StudyRecord
            {
                CalledAe = reader.GetString(0),
                GroupUid = reader.GetString(1),
                Level = reader.GetString(2) == "series" ? GroupLevel.Series : GroupLevel.Study,
                StudyInstanceUid = reader.GetString(3),
                FirstReceivedAt = dialect.ReadTime(reader, 4),
                LastReceivedAt = dialect.ReadTime(reader, 5),
                InstanceCount = reader.GetInt(6),
                State = ParseState(reader.GetString(7)),
                StateChangedAt = dialect.ReadTime(reader, 8),
                Findings = reader.GetNullableString(9),
                CoveredThrough = dialect.ReadNullableTime(reader, 10),
            });
        }

        return rows;
    }
}
