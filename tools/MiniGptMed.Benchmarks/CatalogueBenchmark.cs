using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.Benchmarks;

/// <summary>
/// Records N catalogue rows the way the reception will: W concurrent writers (associations), each awaiting every
/// row before the next (one await per instance, as before a C-STORE response). Prints rows/s and the writer's
/// commits; <c>tools/bench_catalogue.sh</c> runs it under <c>strace -f -c -e trace=fsync,fdatasync</c> to count
/// the fsyncs, with a run of 0 rows subtracted (opening and migrating the database, closing it).
/// <c>--naive</c> is the comparison: one transaction per row on a plain connection at synchronous=FULL.
/// </summary>
internal static class CatalogueBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = IntArg(args, "--rows", 500);
        var writers = IntArg(args, "--writers", 1);
        var naive = args.Contains("--naive");
        var pg = StringArg(args, "--pg");
        var folder = Directory.CreateTempSubdirectory("minigptmed-catalogue-bench-").FullName;
        try
        {
            var received = DateTimeOffset.UtcNow;
            var instances = Enumerable.Range(0, rows).Select(i => Instance(i, received)).ToArray();
            if (naive)
            {
                var seconds = await NaiveAsync(folder, instances, writers);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"catalogue naive (a transaction per row, synchronous=FULL): {rows} rows, {writers} writers, {seconds * 1000:F0} ms, {rows / seconds:F0} rows/s"));
                return 0;
            }

            // PostgreSQL: a database of its own for the run, dropped after it.
            var pgDatabase = $"minigptmed_bench_{Guid.NewGuid():N}";
            if (pg is not null)
            {
                await PgAsync(pg, $"CREATE DATABASE {pgDatabase}");
            }

            try
            {
                return await GroupCommitAsync(pg is null
                    ? new DatabaseOptions()
                    : new DatabaseOptions
                    {
                        Provider = nameof(DatabaseProvider.PostgreSql),
                        ConnectionString = new Npgsql.NpgsqlConnectionStringBuilder(pg) { Database = pgDatabase }.ConnectionString,
                    }, folder, instances, writers);
            }
            finally
            {
                if (pg is not null)
                {
                    Npgsql.NpgsqlConnection.ClearAllPools();
                    await PgAsync(pg, $"DROP DATABASE IF EXISTS {pgDatabase} WITH (FORCE)");
                }
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task PgAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<int> GroupCommitAsync(DatabaseOptions options, string folder, InstanceRecord[] instances, int writers)
    {
        var rows = instances.Length;
        await using var database = new NodeDatabase(options, folder, new JobOptions(), TimeProvider.System, NullLoggerFactory.Instance);
        await database.StartAsync();
        var commitsBefore = database.CatalogueCommits;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = w; i < rows; i += writers)
            {
                await database.Catalogue.RecordAsync(instances[i]);
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        var commits = database.CatalogueCommits - commitsBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"catalogue {database.Provider} group commit: {rows} rows, {writers} writers, {elapsed * 1000:F0} ms, {(rows == 0 ? 0 : rows / elapsed):F0} rows/s, {commits} commits ({(commits == 0 ? 0 : (double)rows / commits):F1} rows per commit)"));
        return 0;
    }

    /// <summary>A CT slice's row, every field set as the reception sets it.</summary>
    private static InstanceRecord Instance(int i, DateTimeOffset received) => new()
    {
        SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
        SopInstanceUid = $"1.2.826.0.1.3680043.10.1000.3.{i + 1}",
        StudyInstanceUid = "1.2.826.0.1.3680043.10.1000.1",
        SeriesInstanceUid = "1.2.826.0.1.3680043.10.1000.2",
        Modality = "CT",
        BodyPartExamined = "CHEST",
        SeriesDescription = "Thorax 1.0 B70f",
        SeriesNumber = 3,
        InstanceNumber = i + 1,
        CallingAe = "STORESCU",
        CalledAe = "MINIGPTMED",
        PeerAddress = "127.0.0.1",
        ReceivedAt = received.AddMilliseconds(i),
        Path = $"instances/1.2.826.0.1.3680043.10.1000.1/1.2.826.0.1.3680043.10.1000.2/1.2.826.0.1.3680043.10.1000.3.{i + 1}.dcm",
        Size = 526_000,
    };

    /// <summary>What recording would cost without group commit: each row its own durable transaction.</summary>
    private static async Task<double> NaiveAsync(string folder, InstanceRecord[] instances, int writers)
    {
        var file = Path.Combine(folder, "naive.db");
        await using (var setup = new SqliteConnection($"Data Source={file}"))
        {
            await setup.OpenAsync();
            await using var create = setup.CreateCommand();
            create.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE instances (sop_instance_uid TEXT PRIMARY KEY, study TEXT, series TEXT, path TEXT, size INTEGER, received_at INTEGER)";
            await create.ExecuteNonQueryAsync();
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            await using var connection = new SqliteConnection($"Data Source={file}");
            await connection.OpenAsync();
            await using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000";
                await pragma.ExecuteNonQueryAsync();
            }

            for (var i = w; i < instances.Length; i += writers)
            {
                await using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT OR REPLACE INTO instances VALUES ($sop, $study, $series, $path, $size, $at)";
                insert.Parameters.AddWithValue("$sop", instances[i].SopInstanceUid);
                insert.Parameters.AddWithValue("$study", instances[i].StudyInstanceUid);
                insert.Parameters.AddWithValue("$series", instances[i].SeriesInstanceUid);
                insert.Parameters.AddWithValue("$path", instances[i].Path);
                insert.Parameters.AddWithValue("$size", instances[i].Size);
                insert.Parameters.AddWithValue("$at", instances[i].ReceivedAt.ToUnixTimeMilliseconds());
                await insert.ExecuteNonQueryAsync();
            }
        })));
        return clock.Elapsed.TotalSeconds;
    }

    private static int IntArg(string[] args, string name, int fallback) =>
        StringArg(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? StringArg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
