using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.DicomNode.Tests.Database;

public abstract partial class DatabaseContractTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static JobRequest Analyse(string key, int priority = 4, int? maxAttempts = null) =>
        JobRequest.Create(JobKinds.Analyse, key, new AnalysePayload("NODE", key, key), JobJsonContext.Default.AnalysePayload)
            with { Priority = priority, MaxAttempts = maxAttempts };

    [Fact]
    public async Task Enqueue_TheSameKeyTwice_GivesOneJob()
    {
        var database = await OpenAsync();
        var first = await database.Jobs.EnqueueAsync(Analyse("1.2.3"));
        var second = await database.Jobs.EnqueueAsync(Analyse("1.2.3") with { Priority = 0 });

        Assert.True(first.Created);
        Assert.Equal(new EnqueueResult(first.Id, false), second);
        var job = Assert.Single(await database.Jobs.ListAsync(new JobQuery()));
        Assert.Equal((JobState.Pending, 4, 0, 5), (job.State, job.Priority, job.Attempt, job.MaxAttempts));
        Assert.Equal(new AnalysePayload("NODE", "1.2.3", "1.2.3"), System.Text.Json.JsonSerializer.Deserialize(job.Payload, JobJsonContext.Default.AnalysePayload));
    }

    [Fact]
    public async Task Enqueue_APayloadThatIsNotJson_IsRefused()
    {
        var database = await OpenAsync();
        await Assert.ThrowsAnyAsync<System.Text.Json.JsonException>(() =>
            database.Jobs.EnqueueAsync(new JobRequest { Kind = JobKinds.Export, IdempotencyKey = "x", Payload = "{not json" }));
        Assert.Empty(await database.Jobs.ListAsync(new JobQuery()));
    }

    [Fact]
    public async Task Claim_TakesDueJobsOfItsKinds_ByPriorityThenTime()
    {
        var database = await OpenAsync();
        await database.Jobs.EnqueueAsync(Analyse("late", priority: 4));
        Clock.Advance(TimeSpan.FromSeconds(1));
        await database.Jobs.EnqueueAsync(Analyse("later", priority: 4));
        await database.Jobs.EnqueueAsync(Analyse("urgent", priority: 0));
        await database.Jobs.EnqueueAsync(Analyse("tomorrow") with { ScheduledAt = Clock.Now.AddDays(1) });
        await database.Jobs.EnqueueAsync(new JobRequest { Kind = JobKinds.Export, IdempotencyKey = "export" });

        var claimed = await database.Jobs.ClaimAsync("w1", [JobKinds.Analyse], 10, Lease);

        Assert.Equal(["urgent", "late", "later"], claimed.Select(j => j.IdempotencyKey));
        Assert.All(claimed, j => Assert.Equal((JobState.Running, 1, "w1", Clock.Now + Lease), (j.State, j.Attempt, j.LeaseOwner, j.LeaseExpiresAt)));
        Assert.Empty(await database.Jobs.ClaimAsync("w2", [JobKinds.Analyse], 10, Lease));
        Assert.Equal("export", Assert.Single(await database.Jobs.ClaimAsync("w2", [JobKinds.Export, JobKinds.Notify], 10, Lease)).IdempotencyKey);
    }

    [Fact]
    public async Task Claim_ConcurrentClaimersOfSeveralProcesses_NeverGetTheSameJob()
    {
        var enqueuer = await OpenAsync();
        for (var i = 0; i < 200; i++)
        {
            await enqueuer.Jobs.EnqueueAsync(Analyse($"job-{i}"));
        }

        var nodes = new List<NodeDatabase>();
        for (var n = 0; n < 4; n++)
        {
            nodes.Add(await OpenAsync());
        }

        var claimedBy = new ConcurrentDictionary<long, string>();
        var duplicates = new ConcurrentBag<long>();
        await Task.WhenAll(nodes.Select((node, n) => Task.Run(async () =>
        {
            while (true)
            {
                var jobs = await node.Jobs.ClaimAsync($"w{n}", [JobKinds.Analyse], 3, Lease);
                if (jobs.Count == 0)
                {
                    return;
                }

                foreach (var job in jobs.Where(job => !claimedBy.TryAdd(job.Id, $"w{n}")))
                {
                    duplicates.Add(job.Id);
                }
            }
        })));

        Assert.Empty(duplicates);
        Assert.Equal(200, claimedBy.Count);
        Assert.Equal(new Dictionary<JobState, int> { [JobState.Running] = 200 }, await enqueuer.Jobs.CountByStateAsync());
    }

    [Fact]
    public async Task Workers_FourProcessesOver800Jobs_RunEachJobExactlyOnce()
    {
        const int Jobs = 800;
        var enqueuer = await OpenAsync(time: TimeProvider.System);
        var runs = new ConcurrentDictionary<long, int>();
        var allRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = new List<JobWorker>();
        for (var n = 0; n < 4; n++)
        {
            var node = await OpenAsync(time: TimeProvider.System);
            workers.Add(new JobWorker(node.Jobs, node.Signal, [new RecordingHandler(runs, Jobs, allRan)],
                new JobOptions { Concurrency = 4, PollSeconds = 1 }, TimeProvider.System, NullLogger<JobWorker>.Instance, $"worker-{n}"));
        }

        foreach (var worker in workers)
        {
            await worker.StartAsync(CancellationToken.None);
        }

        try
        {
            // Enqueued while the workers already claim, as the assembly would.
            for (var i = 0; i < Jobs; i++)
            {
                await enqueuer.Jobs.EnqueueAsync(Analyse($"job-{i}"));
            }

            await allRan.Task.WaitAsync(Patience);
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.StopAsync(CancellationToken.None);
            }
        }

        Assert.Equal(Jobs, runs.Count);
        Assert.All(runs, r => Assert.Equal(1, r.Value));
        Assert.Equal(new Dictionary<JobState, int> { [JobState.Succeeded] = Jobs }, await enqueuer.Jobs.CountByStateAsync());
    }

    [Fact]
    public async Task Lease_RenewedItHolds_ExpiredItIsRescuedAndTakenOver_AndTheFirstOwnerCanNoLongerComplete()
    {
        var database = await OpenAsync();
        var id = (await database.Jobs.EnqueueAsync(Analyse("1.2.3"))).Id;
        Assert.Single(await database.Jobs.ClaimAsync("first", [JobKinds.Analyse], 1, Lease));

        Clock.Advance(TimeSpan.FromSeconds(50));
        Assert.True(await database.Jobs.RenewLeaseAsync(id, "first", Lease));
        Clock.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(0, await database.Jobs.RescueExpiredAsync());
        Assert.False(await database.Jobs.RenewLeaseAsync(id, "someone else", Lease));

        Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(1, await database.Jobs.RescueExpiredAsync());
        var rescued = (await database.Jobs.GetAsync(id))!;
        Assert.Equal((JobState.Retrying, null, 1), (rescued.State, rescued.LeaseOwner, rescued.Attempt));
        Assert.Contains("lease of first expired", Assert.Single(rescued.Errors).Message, StringComparison.Ordinal);

        var taken = Assert.Single(await database.Jobs.ClaimAsync("second", [JobKinds.Analyse], 1, Lease));
        Assert.Equal((id, 2), (taken.Id, taken.Attempt));
        Assert.False(await database.Jobs.RenewLeaseAsync(id, "first", Lease));
        Assert.False(await database.Jobs.CompleteAsync(id, "first"));
        Assert.Null(await database.Jobs.FailAsync(id, "first", "too late"));
        Assert.True(await database.Jobs.CompleteAsync(id, "second"));
        Assert.Equal(JobState.Succeeded, (await database.Jobs.GetAsync(id))!.State);
    }

    [Fact]
    public async Task Fail_RetriesWithGrowingJitteredBackoff_DeadLettersAfterTheLastAttempt_AndRetryBringsItBack()
    {
        var options = new JobOptions { BackoffBaseSeconds = 10 };
        var database = await OpenAsync(options);
        var id = (await database.Jobs.EnqueueAsync(Analyse("1.2.3", maxAttempts: 3))).Id;

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            Assert.Single(await database.Jobs.ClaimAsync("w", [JobKinds.Analyse], 1, Lease));
            Assert.Equal(JobState.Retrying, await database.Jobs.FailAsync(id, "w", $"refused {attempt}"));
            var job = (await database.Jobs.GetAsync(id))!;
            // Attempt n waits 10 x 2^(n-1) s, half of it fixed and half random.
            var full = TimeSpan.FromSeconds(10 * Math.Pow(2, attempt - 1));
            Assert.InRange(job.ScheduledAt - Clock.Now, full / 2, full);
            Assert.Empty(await database.Jobs.ClaimAsync("w", [JobKinds.Analyse], 1, Lease));
            Clock.Advance(job.ScheduledAt - Clock.Now);
        }

        Assert.Single(await database.Jobs.ClaimAsync("w", [JobKinds.Analyse], 1, Lease));
        Assert.Equal(JobState.DeadLetter, await database.Jobs.FailAsync(id, "w", "refused 3"));
        var dead = (await database.Jobs.GetAsync(id))!;
        Assert.Equal((JobState.DeadLetter, 3, Clock.Now), (dead.State, dead.Attempt, dead.FinishedAt));
        Assert.Equal([(1, "refused 1"), (2, "refused 2"), (3, "refused 3")], dead.Errors.Select(e => (e.Attempt, e.Message)));
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.Empty(await database.Jobs.ClaimAsync("w", [JobKinds.Analyse], 1, Lease));

        Assert.True(await database.Jobs.RetryAsync(id));
        Assert.False(await database.Jobs.RetryAsync(id));
        var retried = Assert.Single(await database.Jobs.ClaimAsync("w", [JobKinds.Analyse], 1, Lease));
        Assert.Equal((1, 3, 3), (retried.Attempt, retried.MaxAttempts, retried.Errors.Count));
        Assert.True(await database.Jobs.CompleteAsync(id, "w"));
    }

    [Fact]
    public async Task Fail_Permanent_DeadLettersAtOnce()
    {
        var database = await OpenAsync();
        var id = (await database.Jobs.EnqueueAsync(Analyse("1.2.3"))).Id;
        Assert.Single(await database.Jobs.ClaimAsync("w", [JobKinds.Analyse], 1, Lease));
        Assert.Equal(JobState.DeadLetter, await database.Jobs.FailAsync(id, "w", "A900: SOP class not supported", permanent: true));
        Assert.Equal((JobState.DeadLetter, 1), ((await database.Jobs.GetAsync(id))!.State, (await database.Jobs.GetAsync(id))!.Errors.Count));
    }

    [Fact]
    public async Task Cancel_APendingJobIsNeverClaimed_ARunningOneLosesItsLease_AndRetryRevivesIt()
    {
        var database = await OpenAsync();
        var pending = (await database.Jobs.EnqueueAsync(Analyse("pending"))).Id;
        Assert.True(await database.Jobs.CancelAsync(pending));
        Assert.Empty(await database.Jobs.ClaimAsync("w", [JobKinds.Analyse], 10, Lease));
        Assert.False(await database.Jobs.CancelAsync(pending));

        var running = (await database.Jobs.EnqueueAsync(Analyse("running"))).Id;
        Assert.Single(await database.Jobs.ClaimAsync("w", [JobKinds.Analyse], 10, Lease));
        Assert.True(await database.Jobs.CancelAsync(running));
        Assert.False(await database.Jobs.RenewLeaseAsync(running, "w", Lease));
        Assert.False(await database.Jobs.CompleteAsync(running, "w"));
        Assert.Equal(JobState.Cancelled, (await database.Jobs.GetAsync(running))!.State);

        Assert.True(await database.Jobs.RetryAsync(pending));
        Assert.Equal(pending, Assert.Single(await database.Jobs.ClaimAsync("w", [JobKinds.Analyse], 10, Lease)).Id);
    }

    [Fact]
    public async Task Prune_DeletesSucceededAndCancelledJobsPastRetention_KeepsDeadLettersAndRecentOnes()
    {
        var database = await OpenAsync();
        var succeeded = (await database.Jobs.EnqueueAsync(Analyse("succeeded"))).Id;
        var cancelled = (await database.Jobs.EnqueueAsync(Analyse("cancelled"))).Id;
        var dead = (await database.Jobs.EnqueueAsync(Analyse("dead"))).Id;
        Assert.Equal(3, (await database.Jobs.ClaimAsync("w", [JobKinds.Analyse], 3, Lease)).Count);
        Assert.True(await database.Jobs.CompleteAsync(succeeded, "w"));
        Assert.True(await database.Jobs.CancelAsync(cancelled));
        Assert.Equal(JobState.DeadLetter, await database.Jobs.FailAsync(dead, "w", "no", permanent: true));
        Clock.Advance(TimeSpan.FromHours(2));
        var recent = (await database.Jobs.EnqueueAsync(Analyse("recent"))).Id;
        await database.Jobs.ClaimAsync("w", [JobKinds.Analyse], 1, Lease);
        Assert.True(await database.Jobs.CompleteAsync(recent, "w"));

        Assert.Equal(2, await database.Jobs.PruneAsync(TimeSpan.FromHours(1)));
        Assert.Equal([recent, dead], (await database.Jobs.ListAsync(new JobQuery())).Select(j => j.Id));
    }

    [Fact]
    public async Task List_FiltersByStateAndKind_NewestFirst_AndCountsByState()
    {
        var database = await OpenAsync();
        var a = (await database.Jobs.EnqueueAsync(Analyse("a"))).Id;
        var b = (await database.Jobs.EnqueueAsync(Analyse("b"))).Id;
        var e = (await database.Jobs.EnqueueAsync(new JobRequest { Kind = JobKinds.Export, IdempotencyKey = "e" })).Id;
        await database.Jobs.ClaimAsync("w", [JobKinds.Analyse], 1, Lease);

        Assert.Equal([e, b], (await database.Jobs.ListAsync(new JobQuery { States = [JobState.Pending] })).Select(j => j.Id));
        Assert.Equal([b], (await database.Jobs.ListAsync(new JobQuery { States = [JobState.Pending], Kinds = [JobKinds.Analyse] })).Select(j => j.Id));
        Assert.Equal([e], (await database.Jobs.ListAsync(new JobQuery { Limit = 1 })).Select(j => j.Id));
        Assert.Equal(a, Assert.Single(await database.Jobs.ListAsync(new JobQuery { States = [JobState.Running] })).Id);
        Assert.Equal(new Dictionary<JobState, int> { [JobState.Pending] = 2, [JobState.Running] = 1 }, await database.Jobs.CountByStateAsync());
        Assert.Null(await database.Jobs.GetAsync(12345));
    }

    [Fact]
    public async Task Worker_AProcessDiesMidJob_TheLeaseExpires_AndAnotherWorkerRunsItOnce()
    {
        var database = await OpenAsync();
        var id = (await database.Jobs.EnqueueAsync(Analyse("1.2.3"))).Id;
        // The dead process: it claimed the job, and then nothing more happens in its name (no renewal, no outcome).
        Assert.Single(await database.Jobs.ClaimAsync("crashed-node/4242", [JobKinds.Analyse], 1, Lease));

        var runs = new ConcurrentDictionary<long, int>();
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new JobOptions { PollSeconds = 3600 };
        var worker = new JobWorker(database.Jobs, database.Signal, [new RecordingHandler(runs, 1, ran)], options, Clock, NullLogger<JobWorker>.Instance, "survivor");
        var maintenance = new JobMaintenanceService(database.Jobs, options, Clock, NullLogger<JobMaintenanceService>.Instance);
        var succeeded = OutcomeAsync(worker, () => id, JobState.Succeeded);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal((0, 0), await maintenance.RunOnceAsync(CancellationToken.None));
            Clock.Advance(Lease + TimeSpan.FromSeconds(1));
            Assert.Equal((1, 0), await maintenance.RunOnceAsync(CancellationToken.None));
            // The rescue wakes the worker (no poll for an hour).
            await succeeded;
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        var job = (await database.Jobs.GetAsync(id))!;
        Assert.Equal((2, 1), (job.Attempt, runs[id]));
        Assert.Contains("crashed-node/4242", Assert.Single(job.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_AFailingHandlerIsRetried_APermanentFailureDeadLetters_AndStoppingGivesARunningJobBack()
    {
        var database = await OpenAsync();
        var handler = new ScriptedHandler();
        var worker = new JobWorker(database.Jobs, database.Signal, [handler], new JobOptions { PollSeconds = 3600 }, Clock, NullLogger<JobWorker>.Instance, "w");
        // Queued before the worker starts, so that their ids are known before any outcome.
        var flaky = (await database.Jobs.EnqueueAsync(Analyse("flaky"))).Id;
        var refused = (await database.Jobs.EnqueueAsync(Analyse("refused"))).Id;
        long slow = 0;
        var retrying = OutcomeAsync(worker, () => flaky, JobState.Retrying);
        var deadLettered = OutcomeAsync(worker, () => refused, JobState.DeadLetter);
        var givenBack = OutcomeAsync(worker, () => slow, JobState.Pending);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await retrying;
            await deadLettered;
            slow = (await database.Jobs.EnqueueAsync(Analyse("slow"))).Id;
            await handler.SlowStarted.Task.WaitAsync(Patience);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        await givenBack;

        Assert.Equal("transient: connection refused", (await database.Jobs.GetAsync(flaky))!.Errors.Single().Message);
        Assert.Equal("A900", (await database.Jobs.GetAsync(refused))!.Errors.Single().Message);
        var released = (await database.Jobs.GetAsync(slow))!;
        Assert.Equal((JobState.Pending, 0, null), (released.State, released.Attempt, released.LeaseOwner));
    }

    /// <summary>Completes when <paramref name="worker"/> has written the outcome <paramref name="state"/> of job <paramref name="id"/>.</summary>
    private static Task OutcomeAsync(JobWorker worker, Func<long> id, JobState state)
    {
        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        worker.OutcomeRecorded += (job, outcome) =>
        {
            if (job == id() && outcome == state)
            {
                recorded.TrySetResult();
            }
        };
        return recorded.Task.WaitAsync(Patience);
    }

    private sealed class RecordingHandler(ConcurrentDictionary<long, int> runs, int expected, TaskCompletionSource allRan) : IJobHandler
    {
        public string Kind => JobKinds.Analyse;

        public Task HandleAsync(Job job, CancellationToken cancellationToken)
        {
            runs.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
            if (runs.Count >= expected)
            {
                allRan.TrySetResult();
            }

            return Task.CompletedTask;
        }
    }

    private sealed class ScriptedHandler : IJobHandler
    {
        public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Kind => JobKinds.Analyse;

        public async Task HandleAsync(Job job, CancellationToken cancellationToken)
        {
            switch (job.IdempotencyKey)
            {
                case "flaky":
                    throw new IOException("transient: connection refused");
                case "refused":
                    throw new PermanentJobFailureException("A900");
                default:
                    SlowStarted.TrySetResult();
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    break;
            }
        }
    }
}
