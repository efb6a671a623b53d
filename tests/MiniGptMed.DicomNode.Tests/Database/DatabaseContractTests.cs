using Microsoft.Extensions.Logging.Abstractions;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.DicomNode.Tests.Database;

/// <summary>
/// The contract of the node's database, run against each engine (River runs its driver tests per driver): a
/// derived class supplies a fresh, empty database per test. Time is a <see cref="ManualClock"/>, so leases expire
/// and studies become stable without any sleep.
/// </summary>
public abstract partial class DatabaseContractTests : IAsyncLifetime
{
    private readonly List<NodeDatabase> _opened = [];

    protected ManualClock Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));

    protected string DataDirectory { get; } = Directory.CreateTempSubdirectory("minigptmed-db-").FullName;

    /// <summary>Creates the empty database of this test.</summary>
    protected abstract Task CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();

    /// <summary>The options that open this test's database.</summary>
    protected abstract DatabaseOptions Options { get; }

    /// <summary>Runs a query outside the node's code (to look at the schema itself).</summary>
    protected abstract Task<long> ScalarAsync(string sql);

    public Task InitializeAsync() => CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var database in _opened)
        {
            await database.DisposeAsync();
        }

        await DropDatabaseAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>Opens (and migrates) the database as a node would at start; closed at the end of the test.</summary>
    protected async Task<NodeDatabase> OpenAsync(JobOptions? jobs = null, IStudyGrouping? grouping = null, TimeProvider? time = null, DatabaseOptions? options = null)
    {
        var database = new NodeDatabase(options ?? Options, DataDirectory, jobs ?? new JobOptions(), time ?? Clock, NullLoggerFactory.Instance, grouping);
        _opened.Add(database);
        await database.StartAsync();
        return database;
    }

    protected async Task CloseAsync(NodeDatabase database)
    {
        _opened.Remove(database);
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Migrations_ApplyOnce_AndARestartAppliesNothingAgainAndKeepsTheRows()
    {
        var first = await OpenAsync();
        Assert.Equal(Migrator.Load(SqliteDialect.Instance)[^1].Version, first.SchemaVersion);
        await first.Catalogue.RecordAsync(TestInstances.Ct("1.2.3", "1.2.3.1", 1, Clock.Now));
        await first.Jobs.EnqueueAsync(new JobRequest { Kind = JobKinds.Analyse, IdempotencyKey = "analyse:NODE:1.2.3" });
        await CloseAsync(first);

        var second = await OpenAsync();
        Assert.Equal(first.SchemaVersion, second.SchemaVersion);
        Assert.Equal(Migrator.Load(SqliteDialect.Instance).Count, await ScalarAsync("SELECT count(*) FROM schema_version"));
        Assert.NotNull(await second.Catalogue.InstanceAsync("1.2.3.1.1"));
        Assert.Single(await second.Jobs.ListAsync(new JobQuery()));
    }

    [Fact]
    public async Task Migrations_RefuseADatabaseNewerThanTheNode()
    {
        var database = await OpenAsync();
        await ScalarAsync($"INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'future', {(database.Provider == DatabaseProvider.Sqlite ? "0" : "now()")})");
        await CloseAsync(database);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => OpenAsync());
        Assert.Contains($"version 99, newer than this node's {database.SchemaVersion}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_KeepsEveryField()
    {
        var database = await OpenAsync();
        var instance = TestInstances.Ct("1.2.3", "1.2.3.1", 7, Clock.Now);
        await database.Catalogue.RecordAsync(instance);
        Assert.Equal(instance, await database.Catalogue.InstanceAsync(instance.SopInstanceUid));

        var bare = instance with { SopInstanceUid = "1.2.3.1.8", Modality = null, BodyPartExamined = null, SeriesDescription = null, SeriesNumber = null, InstanceNumber = null, PeerAddress = null };
        await database.Catalogue.RecordAsync(bare);
        Assert.Equal(bare, await database.Catalogue.InstanceAsync(bare.SopInstanceUid));
    }

    [Fact]
    public async Task Record_TheSameInstanceTwice_ReplacesTheRowAndCountsItOnce()
    {
        var database = await OpenAsync();
        var first = TestInstances.Ct("1.2.3", "1.2.3.1", 1, Clock.Now);
        // The write says whether the instance was held before (the audit's EventActionCode C or U comes from it).
        Assert.False(await database.Catalogue.RecordAsync(first));
        Clock.Advance(TimeSpan.FromSeconds(3));
        var again = first with { Path = "instances/again.dcm", Size = 99, ReceivedAt = Clock.Now, CallingAe = "PACS" };
        Assert.True(await database.Catalogue.RecordAsync(again));
        Assert.False(await database.Catalogue.RecordAsync(TestInstances.Ct("1.2.3", "1.2.3.1", 2, Clock.Now)));

        Assert.Equal(again, await database.Catalogue.InstanceAsync(first.SopInstanceUid));
        Assert.Equal(2, (await database.Catalogue.InstancesAsync("1.2.3")).Count);
        var study = Assert.IsType<StudyRecord>(await database.Catalogue.StudyAsync("NODE", "1.2.3"));
        Assert.Equal(2, study.InstanceCount);
        Assert.Equal(first.ReceivedAt, study.FirstReceivedAt);
        Assert.Equal(Clock.Now, study.LastReceivedAt);
        Assert.Equal(StudyState.Receiving, study.State);
    }

    [Fact]
    public async Task Record_ForAnAeGroupingBySeries_MakesOneGroupPerSeries()
    {
        var database = await OpenAsync(grouping: new SeriesGrouping("BYSERIES"));
        await database.Catalogue.RecordAsync(TestInstances.Ct("1.2.3", "1.2.3.1", 1, Clock.Now, "BYSERIES"));
        await database.Catalogue.RecordAsync(TestInstances.Ct("1.2.3", "1.2.3.2", 1, Clock.Now, "BYSERIES"));
        await database.Catalogue.RecordAsync(TestInstances.Ct("1.2.3", "1.2.3.2", 2, Clock.Now, "BYSERIES"));
        await database.Catalogue.RecordAsync(TestInstances.Ct("1.2.3", "1.2.3.1", 5, Clock.Now, "NODE"));

        var groups = (await database.Catalogue.StudiesAsync()).OrderBy(s => s.CalledAe).ThenBy(s => s.GroupUid).ToList();
        Assert.Equal(
            [("BYSERIES", "1.2.3.1", GroupLevel.Series, 1), ("BYSERIES", "1.2.3.2", GroupLevel.Series, 2), ("NODE", "1.2.3", GroupLevel.Study, 1)],
            groups.Select(g => (g.CalledAe, g.GroupUid, g.Level, g.InstanceCount)));
        Assert.Equal(2, (await database.Catalogue.GroupInstancesAsync("BYSERIES", "1.2.3.2")).Count);
        Assert.Single(await database.Catalogue.InstancesAsync("1.2.3", "1.2.3.1"), i => i.CalledAe == "BYSERIES");
    }

    [Fact]
    public async Task Record_ConcurrentCallers_AreEachRecordedOnce_InNoMoreCommitsThanCallers()
    {
        // Callers on several threads, as associations are. A caller that finds the writer idle commits alone on its own
        // thread; those arriving meanwhile share the next commit (GroupCommitWriterTests shows it deterministically).
        var database = await OpenAsync();
        var before = database.CatalogueCommits;
        await Task.WhenAll(Enumerable.Range(1, 400).Select(i => Task.Run(() => database.Catalogue.RecordAsync(TestInstances.Ct("1.2.3", "1.2.3.1", i, Clock.Now)))));

        Assert.Equal(400, (await database.Catalogue.StudyAsync("NODE", "1.2.3"))!.InstanceCount);
        Assert.Equal(400, (await database.Catalogue.InstancesAsync("1.2.3")).Count);
        Assert.InRange(database.CatalogueCommits - before, 1, 400);
    }

    [Fact]
    public async Task Record_AnInstanceWithoutItsKeys_IsRefusedAndWritesNothing()
    {
        var database = await OpenAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => database.Catalogue.RecordAsync(TestInstances.Ct("1.2.3", "1.2.3.1", 1, Clock.Now) with { StudyInstanceUid = " " }));
        Assert.Empty(await database.Catalogue.StudiesAsync());
    }

    [Fact]
    public async Task Remove_TakesTheRowOutOfItsGroup_DropsAGroupLeftEmptyWhileReceiving_AndSaysWhetherThereWasOne()
    {
        // The reception's undo of a row recorded while its file was flushed, when the flush then failed.
        var database = await OpenAsync();
        var kept = TestInstances.Ct("1.2.3", "1.2.3.1", 1, Clock.Now);
        var undone = TestInstances.Ct("1.2.3", "1.2.3.1", 2, Clock.Now);
        var alone = TestInstances.Ct("9.9", "9.9.1", 1, Clock.Now);
        foreach (var row in new[] { kept, undone, alone })
        {
            await database.Catalogue.RecordAsync(row);
        }

        Assert.True(await database.Catalogue.RemoveAsync(undone.SopInstanceUid));
        Assert.True(await database.Catalogue.RemoveAsync(alone.SopInstanceUid));
        Assert.False(await database.Catalogue.RemoveAsync(alone.SopInstanceUid));

        Assert.Null(await database.Catalogue.InstanceAsync(undone.SopInstanceUid));
        Assert.Equal([kept], await database.Catalogue.InstancesAsync("1.2.3"));
        Assert.Equal(1, (await database.Catalogue.StudyAsync("NODE", "1.2.3"))!.InstanceCount);
        Assert.Null(await database.Catalogue.StudyAsync("NODE", "9.9"));
    }

    [Fact]
    public async Task Reconcile_AddsRowsOfFilesMissingAfterACrash_RemovesRowsOfGoneFiles_AndRecounts()
    {
        var database = await OpenAsync();
        var kept = TestInstances.Ct("1.2.3", "1.2.3.1", 1, Clock.Now);
        var moved = TestInstances.Ct("1.2.3", "1.2.3.1", 2, Clock.Now);
        var gone = TestInstances.Ct("1.2.3", "1.2.3.1", 3, Clock.Now);
        var goneStudy = TestInstances.Ct("9.9", "9.9.1", 1, Clock.Now);
        foreach (var row in new[] { kept, moved, gone, goneStudy })
        {
            await database.Catalogue.RecordAsync(row);
        }

        // On disk after the crash: kept as it was, moved rewritten, one file whose row never committed; gone and goneStudy deleted.
        var lost = TestInstances.Ct("1.2.3", "1.2.3.1", 4, Clock.Now);
        var onDisk = new[] { kept, moved with { Size = 1 }, lost };
        var result = await database.Catalogue.ReconcileAsync(onDisk.ToAsyncEnumerable());

        Assert.Equal(new ReconcileResult(Added: 1, Updated: 1, Removed: 2, Unchanged: 1), result);
        Assert.Equal(["1.2.3.1.1", "1.2.3.1.2", "1.2.3.1.4"], (await database.Catalogue.InstancesAsync("1.2.3")).Select(i => i.SopInstanceUid));
        Assert.Equal(1, (await database.Catalogue.InstanceAsync(moved.SopInstanceUid))!.Size);
        Assert.Equal(3, (await database.Catalogue.StudyAsync("NODE", "1.2.3"))!.InstanceCount);
        Assert.Null(await database.Catalogue.StudyAsync("NODE", "9.9"));

        Assert.Equal(new ReconcileResult(0, 0, 0, 3), await database.Catalogue.ReconcileAsync(onDisk.ToAsyncEnumerable()));
    }

    [Fact]
    public async Task DueStudies_AStudyQuietForTheStableDelay_IsDueAsStable()
    {
        var database = await OpenAsync();
        var stable = TimeSpan.FromSeconds(10);
        var maxWait = TimeSpan.FromSeconds(600);
        await database.Catalogue.RecordAsync(TestInstances.Ct("1.2.3", "1.2.3.1", 1, Clock.Now));
        Clock.Advance(TimeSpan.FromSeconds(5));
        await database.Catalogue.RecordAsync(TestInstances.Ct("1.2.3", "1.2.3.1", 2, Clock.Now));

        Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(await database.Catalogue.DueStudiesAsync(null, stable, maxWait));
        Clock.Advance(TimeSpan.FromSeconds(1));
        var due = Assert.Single(await database.Catalogue.DueStudiesAsync(null, stable, maxWait));
        Assert.Equal(("1.2.3", DueReason.Stable), (due.Study.GroupUid, due.Reason));
        Assert.Empty(await database.Catalogue.DueStudiesAsync("OTHER", stable, maxWait));

        Assert.True(await database.Catalogue.TransitionStudyAsync("NODE", "1.2.3", StudyState.Receiving, StudyState.Stable));
        Assert.False(await database.Catalogue.TransitionStudyAsync("NODE", "1.2.3", StudyState.Receiving, StudyState.Stable));
        Assert.Empty(await database.Catalogue.DueStudiesAsync(null, stable, maxWait));
        Assert.Single(await database.Catalogue.StudiesAsync(StudyState.Stable));
        Assert.Empty(await database.Catalogue.StudiesAsync(StudyState.Receiving));
    }

    [Fact]
    public async Task DueStudies_AStudyStillReceivingAtMaxWait_IsDue_AndARestartKeepsItsClock()
    {
        var database = await OpenAsync();
        var stable = TimeSpan.FromSeconds(10);
        var maxWait = TimeSpan.FromSeconds(60);
        for (var i = 1; i <= 12; i++)
        {
            Assert.Empty(await database.Catalogue.DueStudiesAsync(null, stable, maxWait));
            await database.Catalogue.RecordAsync(TestInstances.Ct("1.2.3", "1.2.3.1", i, Clock.Now));
            Clock.Advance(TimeSpan.FromSeconds(5));
        }

        // 60 s after the first instance, though the last came 5 s ago. The node restarts first: the clock is in the rows.
        await CloseAsync(database);
        database = await OpenAsync();
        var due = Assert.Single(await database.Catalogue.DueStudiesAsync(null, stable, maxWait));
        Assert.Equal(DueReason.MaxWait, due.Reason);
        Assert.Equal(Clock.Now - TimeSpan.FromSeconds(60), due.Study.FirstReceivedAt);
    }

    private sealed class SeriesGrouping(string seriesAe) : IStudyGrouping
    {
        public GroupLevel LevelFor(string calledAe) => calledAe == seriesAe ? GroupLevel.Series : GroupLevel.Study;
    }
}
