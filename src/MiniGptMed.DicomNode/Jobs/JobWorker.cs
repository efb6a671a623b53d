using MiniGptMed.DicomNode.Database;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MiniGptMed.DicomNode.Jobs;

/// <summary>
/// Claims jobs of the kinds it has handlers for, up to <see cref="JobOptions.Concurrency"/> at once, runs each
/// handler while renewing the lease at a third of its length, and records the outcome. It sleeps on the
/// <see cref="IJobSignal"/> (in-process, or PostgreSQL's LISTEN) with <see cref="JobOptions.PollSeconds"/> as the
/// fallback. Stopping the host cancels running handlers and gives their jobs back without counting the attempt;
/// a process that dies instead leaves its leases to expire, and the rescuer hands the jobs to another worker.
/// </summary>
public sealed class JobWorker : BackgroundService
{
    private readonly IJobQueue _queue;
    private readonly IJobSignal _signal;
    private readonly Dictionary<string, IJobHandler> _handlers;
    private readonly JobOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public JobWorker(IJobQueue queue, IJobSignal signal, IEnumerable<IJobHandler> handlers, JobOptions options, TimeProvider time, ILogger<JobWorker> logger, string? owner = null)
    {
        _queue = queue;
        _signal = signal;
        _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);
        _options = options;
        _time = time;
        _logger = logger;
        // Unique per process and instance: a restarted node never mistakes its predecessor's leases for its own.
        Owner = owner ?? $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>
    /// Raised after a job's outcome is written: its new state, or null when the lease had been lost and nothing was
    /// written. For metrics and for tests, which wait on it instead of polling the table.
    /// </summary>
    public event Action<long, JobState?>? OutcomeRecorded;

    /// <summary>The lease owner this worker claims as.</summary>
    public string Owner { get; }

    private TimeSpan Lease => TimeSpan.FromSeconds(_options.LeaseSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        var kinds = _handlers.Keys.ToArray();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                running.RemoveAll(t => t.IsCompleted);
                // Before the claim: a job enqueued between an empty claim and the wait still wakes this loop.
                var notified = _signal.Next;
                var free = _options.Concurrency - running.Count;
                var claimed = free > 0 ? await _queue.ClaimAsync(Owner, kinds, free, Lease, stoppingToken).ConfigureAwait(false) : [];
                foreach (var job in claimed)
                {
                    running.Add(RunAsync(job, stoppingToken));
                }

                if (claimed.Count > 0 && claimed.Count == free)
                {
                    // Full: wait for a slot; the queue may have more.
                    await Task.WhenAny(running).WaitAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }

                if (claimed.Count > 0)
                {
                    // Took everything due: look again at once (more may have come meanwhile), cheaply.
                    continue;
                }

                var wake = WaitOrPollAsync(notified, stoppingToken);
                await (running.Count > 0 ? Task.WhenAny(running.Append(wake)) : wake).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The database is away for a moment (PostgreSQL restarting): keep the process, try again later.
                DatabaseLog.WorkerLoopFailed(_logger, _options.PollSeconds, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(_options.PollSeconds), _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task WaitOrPollAsync(Task notified, CancellationToken stoppingToken)
    {
        try
        {
            await notified.WaitAsync(TimeSpan.FromSeconds(_options.PollSeconds), _time, stoppingToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The poll: look at the table anyway (a retry came due, or a wake-up was lost with a connection).
        }
    }

    private async Task RunAsync(Job job, CancellationToken stoppingToken)
    {
        // Off the claim loop at once: the handler's synchronous start must not delay the next claim.
        await Task.Yield();
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var leaseLost = false;
        var renewal = RenewAsync(job, run, () => leaseLost = true);
        try
        {
            if (!_handlers.TryGetValue(job.Kind, out var handler))
            {
                DatabaseLog.NoHandler(_logger, job.Id, job.Kind);
                throw new PermanentJobFailureException($"no handler for kind '{job.Kind}'");
            }

            var started = _time.GetTimestamp();
            DatabaseLog.JobStarted(_logger, job.Id, job.Kind, job.Attempt, (long)Math.Max(0, (_time.GetUtcNow() - job.ScheduledAt).TotalMilliseconds));
            await handler.HandleAsync(job, run.Token).ConfigureAwait(false);
            var handled = _time.GetTimestamp();
            await run.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
            var completed = await _queue.CompleteAsync(job.Id, Owner, CancellationToken.None).ConfigureAwait(false);
            DatabaseLog.JobSucceeded(_logger, job.Id, job.Kind, (long)_time.GetElapsedTime(started, handled).TotalMilliseconds,
                (long)_time.GetElapsedTime(handled).TotalMilliseconds);
            if (!completed)
            {
                DatabaseLog.LeaseLost(_logger, job.Id, job.Kind);
            }

            OutcomeRecorded?.Invoke(job.Id, completed ? JobState.Succeeded : null);
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
            await run.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
            if (leaseLost)
            {
                DatabaseLog.LeaseLost(_logger, job.Id, job.Kind);
                OutcomeRecorded?.Invoke(job.Id, null);
            }
            else
            {
                // The node is stopping: give the job back as it was, its attempt not spent.
                var released = await _queue.ReleaseAsync(job.Id, Owner, CancellationToken.None).ConfigureAwait(false);
                OutcomeRecorded?.Invoke(job.Id, released ? JobState.Pending : null);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await run.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
            var state = await _queue.FailAsync(job.Id, Owner, ex.Message, ex is PermanentJobFailureException, CancellationToken.None).ConfigureAwait(false);
            if (state is { } s)
            {
                DatabaseLog.JobFailed(_logger, job.Id, job.Kind, job.Attempt, s.ToText(), ex.Message);
            }
            else
            {
                DatabaseLog.LeaseLost(_logger, job.Id, job.Kind);
            }

            OutcomeRecorded?.Invoke(job.Id, state);
        }
    }

    /// <summary>Renews the lease until <paramref name="run"/> is cancelled; when a renewal is refused, cancels the handler.</summary>
    private async Task RenewAsync(Job job, CancellationTokenSource run, Action onLost)
    {
        var interval = Lease / 3;
        try
        {
            while (true)
            {
                await Task.Delay(interval, _time, run.Token).ConfigureAwait(false);
                bool held;
                try
                {
                    held = await _queue.RenewLeaseAsync(job.Id, Owner, Lease, run.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    // A failed renewal is not a lost lease: the next one may pass before it expires.
                    DatabaseLog.WorkerLoopFailed(_logger, interval.TotalSeconds, ex);
                    continue;
                }

                if (!held)
                {
                    onLost();
                    await run.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The job finished (or the node stops).
        }
    }
}
