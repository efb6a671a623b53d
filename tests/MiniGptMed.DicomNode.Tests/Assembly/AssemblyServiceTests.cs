using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Assembly;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Tests.Database;

namespace MiniGptMed.DicomNode.Tests.Assembly;

/// <summary>
/// Assembly over a real SQLite catalogue and queue, with a clock the test moves: groups become stable after the
/// quiet time or at the maximum wait, the clock survives a restart, and late arrivals follow the AE's policy.
/// </summary>
public sealed class AssemblyServiceTests : IAsyncLifetime
{
    private const string Study = "1.2.826.0.1.3680043.10.1";
    private const string Series = "1.2.826.0.1.3680043.10.1.1";

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly string _data = Directory.CreateTempSubdirectory("minigptmed-asm-").FullName;
    private readonly List<NodeDatabase> _opened = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var database in _opened)
        {
            await database.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    private static AssemblyOptions Options(LateArrivalPolicy late = LateArrivalPolicy.Ignore) =>
        new() { StableSeconds = 10, MaxWaitSeconds = 600, LateArrivals = late };

    private async Task<NodeDatabase> OpenAsync(AssemblyOptions options)
    {
        var database = new NodeDatabase(new DatabaseOptions { Provider = "Sqlite" }, _data, new JobOptions(), _clock, NullLoggerFactory.Instance,
            new ConfiguredStudyGrouping(new StaticMonitor<AssemblyOptions>(options)));
        _opened.Add(database);
        await database.StartAsync();
        return database;
    }

    private AssemblyService Assembler(NodeDatabase database, AssemblyOptions options, AnalysisRulesOptions? rules = null) =>
        new(database.Catalogue, database.Jobs, new StaticMonitor<AssemblyOptions>(options),
            new StaticMonitor<AnalysisRulesOptions>(rules ?? new AnalysisRulesOptions()), _clock, NullLogger<AssemblyService>.Instance);

    private Task<bool> ReceiveAsync(NodeDatabase database, int number, string series = Series, string ae = "NODE") =>
        database.Catalogue.RecordAsync(TestInstances.Ct(Study, series, number, _clock.Now, ae));

    private static async Task<IReadOnlyList<Job>> AnalyseJobsAsync(NodeDatabase database) =>
        await database.Jobs.ListAsync(new JobQuery { Kinds = [JobKinds.Analyse] });

    /// <summary>One instance received, assembled and analysed; then, a second later, a second instance of the same study.</summary>
    private async Task<(NodeDatabase Database, AssemblyService Assembler)> AnalysedThenLateArrivalAsync(AssemblyOptions options)
    {
        var database = await OpenAsync(options);
        var assembler = Assembler(database, options);
        await ReceiveAsync(database, 1);
        _clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(1, await assembler.RunOnceAsync());
        await database.Catalogue.TransitionStudyAsync("NODE", Study, StudyState.Analysing, StudyState.Analysed);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await ReceiveAsync(database, 2);
        return (database, assembler);
    }

    [Fact]
    public async Task AGroup_BecomesStableAfterTheQuietTime_AndQueuesOneAnalyseJob()
    {
        var options = Options();
        var database = await OpenAsync(options);
        var assembler = Assembler(database, options);
        for (var i = 1; i <= 3; i++)
        {
            await ReceiveAsync(database, i);
            _clock.Advance(TimeSpan.FromSeconds(4));
        }

        // 4 s after the last instance: still receiving.
        Assert.Equal(0, await assembler.RunOnceAsync());
        Assert.Equal(StudyState.Receiving, (await database.Catalogue.StudyAsync("NODE", Study))!.State);

        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(1, await assembler.RunOnceAsync());
        Assert.Equal(StudyState.Analysing, (await database.Catalogue.StudyAsync("NODE", Study))!.State);

        // Another pass queues nothing more.
        Assert.Equal(0, await assembler.RunOnceAsync());
        var job = Assert.Single(await AnalyseJobsAsync(database));
        var payload = System.Text.Json.JsonSerializer.Deserialize(job.Payload, JobJsonContext.Default.AnalysePayload)!;
        Assert.Equal(("NODE", Study, Study), (payload.CalledAe, payload.GroupUid, payload.StudyInstanceUid));
        Assert.StartsWith($"analyse:NODE:{Study}:3:", job.IdempotencyKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGroupThatKeepsReceiving_IsTakenAtTheMaximumWait()
    {
        var options = new AssemblyOptions { StableSeconds = 10, MaxWaitSeconds = 60 };
        var database = await OpenAsync(options);
        var assembler = Assembler(database, options);
        for (var i = 1; i <= 12; i++)
        {
            // Never 10 s quiet: one instance every 5 s.
            await ReceiveAsync(database, i);
            _clock.Advance(TimeSpan.FromSeconds(5));
            var queued = await assembler.RunOnceAsync();
            Assert.Equal(i < 12 ? 0 : 1, queued);
        }

        Assert.StartsWith($"analyse:NODE:{Study}:12:", Assert.Single(await AnalyseJobsAsync(database)).IdempotencyKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARestart_KeepsTheClock_TheGroupIsStableWhenItsQuietTimeHasPassedWhileDown()
    {
        var options = Options();
        var first = await OpenAsync(options);
        await ReceiveAsync(first, 1);
        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(0, await Assembler(first, options).RunOnceAsync());
        _opened.Remove(first);
        await first.DisposeAsync();

        // Down for 5 s: a reset clock would wait 10 s more; the rows' times say the group is already quiet for 11 s.
        _clock.Advance(TimeSpan.FromSeconds(5));
        var second = await OpenAsync(options);
        Assert.Equal(1, await Assembler(second, options).RunOnceAsync());
        Assert.Single(await AnalyseJobsAsync(second));
    }

    [Fact]
    public async Task LateArrivals_UnderIgnore_AreCataloguedButNotAnalysedAgain()
    {
        var options = Options(LateArrivalPolicy.Ignore);
        var (database, assembler) = await AnalysedThenLateArrivalAsync(options);
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, await assembler.RunOnceAsync());
        var study = (await database.Catalogue.StudyAsync("NODE", Study))!;
        Assert.Equal((StudyState.Analysed, 2), (study.State, study.InstanceCount));
        Assert.Single(await AnalyseJobsAsync(database));
    }

    [Fact]
    public async Task LateArrivals_UnderReanalyse_QueueASecondJobOnceQuiet()
    {
        var options = Options(LateArrivalPolicy.Reanalyse);
        var (database, assembler) = await AnalysedThenLateArrivalAsync(options);
        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(0, await assembler.RunOnceAsync());
        _clock.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(1, await assembler.RunOnceAsync());

        var keys = (await AnalyseJobsAsync(database)).Select(j => j.IdempotencyKey).ToList();
        Assert.Equal(2, keys.Count);
        Assert.Contains(keys, k => k.StartsWith($"analyse:NODE:{Study}:2:", StringComparison.Ordinal));
        Assert.Equal(StudyState.Analysing, (await database.Catalogue.StudyAsync("NODE", Study))!.State);
    }

    [Fact]
    public async Task AGroupNoRuleMatches_IsMarkedIgnored_WithoutAJob()
    {
        var options = Options();
        var database = await OpenAsync(options);
        var rules = new AnalysisRulesOptions { Rules = [new() { Name = "mr-only", Modalities = ["MR"], Tasks = [new() { Task = "report" }] }] };
        var assembler = Assembler(database, options, rules);
        await ReceiveAsync(database, 1);
        _clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(0, await assembler.RunOnceAsync());
        Assert.Equal(StudyState.Ignored, (await database.Catalogue.StudyAsync("NODE", Study))!.State);
        Assert.Empty(await AnalyseJobsAsync(database));
    }

    [Fact]
    public async Task AnAeThatGroupsBySeries_AnalysesEachSeriesOnItsOwnClock()
    {
        var options = Options();
        options.AeTitles["SERIES_AE"] = new AeAssemblyOptions { GroupBy = GroupLevel.Series, StableSeconds = 5, MaxWaitSeconds = 60 };
        var database = await OpenAsync(options);
        var assembler = Assembler(database, options);
        await ReceiveAsync(database, 1, Series + ".1", "SERIES_AE");
        _clock.Advance(TimeSpan.FromSeconds(4));
        await ReceiveAsync(database, 1, Series + ".2", "SERIES_AE");
        _clock.Advance(TimeSpan.FromSeconds(2));

        // The first series is 6 s quiet (over its AE's 5 s), the second 2 s.
        Assert.Equal(1, await assembler.RunOnceAsync());
        Assert.Equal(StudyState.Analysing, (await database.Catalogue.StudyAsync("SERIES_AE", Series + ".1"))!.State);
        Assert.Equal(StudyState.Receiving, (await database.Catalogue.StudyAsync("SERIES_AE", Series + ".2"))!.State);
    }

    [Fact]
    public async Task TheNextPass_IsAtTheEarliestDueMomentOfAnyAe_AtMostThePollInterval()
    {
        var options = Options();
        options.PollMilliseconds = 1000;
        options.AeTitles["FAST"] = new AeAssemblyOptions { StableSeconds = 2, MaxWaitSeconds = 60 };
        var database = await OpenAsync(options);
        var assembler = Assembler(database, options);

        // Nothing receiving: the poll interval.
        Assert.Equal(TimeSpan.FromSeconds(1), await assembler.NextPassDelayAsync());

        await ReceiveAsync(database, 1, ae: "NODE");
        _clock.Advance(TimeSpan.FromSeconds(9.5));
        // Due 10 s after its last instance: 0.5 s from now (plus the millisecond that makes it due at the wake).
        Assert.Equal(TimeSpan.FromMilliseconds(501), await assembler.NextPassDelayAsync());

        await ReceiveAsync(database, 1, Series + ".fast", "FAST");
        _clock.Advance(TimeSpan.FromSeconds(0.3));
        // NODE's group is now 0.2 s from due, FAST's (2 s quiet time) 1.7 s: the earlier one counts.
        Assert.Equal(TimeSpan.FromMilliseconds(201), await assembler.NextPassDelayAsync());

        _clock.Advance(TimeSpan.FromMilliseconds(201));
        Assert.Equal(1, await assembler.RunOnceAsync());
        // NODE's group is taken; FAST's is due 1.5 s from now, beyond the poll interval.
        Assert.Equal(TimeSpan.FromSeconds(1), await assembler.NextPassDelayAsync());
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(500), await assembler.NextPassDelayAsync());
    }

    [Fact]
    public async Task AGroupLeftDue_DoesNotTurnTheLoopIntoASpin()
    {
        var options = Options();
        var database = await OpenAsync(options);
        var assembler = Assembler(database, options);
        await ReceiveAsync(database, 1);
        // Due long ago and still receiving (say another node's pass failed on it): the next pass waits the floor, not zero.
        _clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(TimeSpan.FromMilliseconds(20), await assembler.NextPassDelayAsync());
    }
}

/// <summary>Options that do not change during the test.</summary>
internal sealed class StaticMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
