using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.DicomNode.Assembly;

/// <summary>
/// Turns received instances into analysis jobs (docs/pipeline.md). Each pass: receiving groups that are due become
/// stable; stable groups are matched against the rules and either queue one <c>analyse</c> job or are marked
/// ignored; analysed groups that received instances since follow their AE's late-arrival policy. Everything goes
/// through the catalogue and the queue (compare-and-set transitions, idempotency keys), so a pass can be repeated,
/// interrupted or run by two nodes at once without a second analysis of the same group version.
/// </summary>
internal sealed class AssemblyService(
    ICatalogue catalogue,
    IJobQueue jobs,
    IOptionsMonitor<AssemblyOptions> assemblyOptions,
    IOptionsMonitor<AnalysisRulesOptions> rulesOptions,
    TimeProvider time,
    ILogger<AssemblyService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = assemblyOptions.CurrentValue;
        AssemblyLog.Started(logger, options.StableSeconds, options.MaxWaitSeconds, options.AeTitles.Count, rulesOptions.CurrentValue.Effective.Count);
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = TimeSpan.FromMilliseconds(assemblyOptions.CurrentValue.PollMilliseconds);
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                delay = await NextPassDelayAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A database hiccup must not stop assembly for good: the state is in the rows, the next pass resumes.
                AssemblyLog.PassFailed(logger, ex);
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// How long to sleep before the next pass: until the earliest moment a receiving group becomes due (its AE's quiet
    /// time after its last instance, or its maximum wait after its first), at most the poll interval. A study's results
    /// so leave when it becomes stable rather than up to a poll interval later; the poll still finds groups that start
    /// receiving while assembly sleeps (their first due moment is a whole quiet time away), late arrivals, and groups
    /// another node left.
    /// </summary>
    public async Task<TimeSpan> NextPassDelayAsync(CancellationToken cancellationToken = default)
    {
        var options = assemblyOptions.CurrentValue;
        var poll = TimeSpan.FromMilliseconds(options.PollMilliseconds);
        var now = time.GetUtcNow();
        var next = now + poll;
        foreach (var extent in await catalogue.ReceivingExtentsAsync(cancellationToken).ConfigureAwait(false))
        {
            var settings = options.For(extent.CalledAe);
            var due = Min(extent.OldestLastReceivedAt + settings.StableAfter, extent.OldestFirstReceivedAt + settings.MaxWait);
            next = Min(next, due);
        }

        // The stored times have millisecond resolution: one more millisecond makes the group due at the wake, and the floor
        // keeps a group that stays due (another node's, a failed transition) from turning the loop into a spin.
        return TimeSpan.FromTicks(Math.Clamp((next - now + TimeSpan.FromMilliseconds(1)).Ticks, MinimumDelay.Ticks, poll.Ticks));
    }

    private static readonly TimeSpan MinimumDelay = TimeSpan.FromMilliseconds(20);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

    /// <summary>One pass; returns how many analysis jobs it queued.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var options = assemblyOptions.CurrentValue;
        await MarkStableAsync(options, cancellationToken).ConfigureAwait(false);
        await LateArrivalsAsync(options, cancellationToken).ConfigureAwait(false);

        // Stable groups include those a crash left between "stable" and "analysing": deciding again is idempotent.
        var queued = 0;
        foreach (var study in await catalogue.StudiesAsync(StudyState.Stable, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            queued += await DecideAsync(study, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        return queued;
    }

    private async Task MarkStableAsync(AssemblyOptions options, CancellationToken cancellationToken)
    {
        // One query with the shortest delays of any AE, then each group checked against its own AE's settings.
        var all = options.AeTitles.Keys.Select(options.For).Append(options.For(string.Empty)).ToList();
        var due = await catalogue.DueStudiesAsync(null, all.Min(s => s.StableAfter), all.Min(s => s.MaxWait), cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        foreach (var (study, _) in due)
        {
            var settings = options.For(study.CalledAe);
            DueReason? reason = now - study.LastReceivedAt >= settings.StableAfter ? DueReason.Stable
                : now - study.FirstReceivedAt >= settings.MaxWait ? DueReason.MaxWait
                : null;
            if (reason is { } r && await catalogue.TransitionStudyAsync(study.CalledAe, study.GroupUid, StudyState.Receiving, StudyState.Stable, cancellationToken).ConfigureAwait(false))
            {
                await LogReceivedAsync(study, null, cancellationToken).ConfigureAwait(false);
                AssemblyLog.Stable(logger, study.CalledAe, study.GroupUid, r, study.InstanceCount);
            }
        }
    }

    private async Task LateArrivalsAsync(AssemblyOptions options, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // PS3.4 B.2: nothing says a study is complete; an instance the latest analysis did not cover (received after it read
        // the group's rows, even while it still ran) is "late".
        foreach (var study in await catalogue.LateArrivalStudiesAsync(cancellationToken).ConfigureAwait(false))
        {
            // Either policy waits for the late instances to go quiet too, so that one burst is one line (and, under
            // Reanalyse, one new analysis), not one per instance.
            var settings = options.For(study.CalledAe);
            if (now - study.LastReceivedAt < settings.StableAfter)
            {
                continue;
            }

            var acted = settings.LateArrivals == LateArrivalPolicy.Ignore
                // Catalogued, not analysed: the mark moves so that this burst is reported once (durably, across restarts).
                ? await catalogue.CoverLateArrivalsAsync(study.CalledAe, study.GroupUid, study.State, study.LastReceivedAt, cancellationToken).ConfigureAwait(false)
                // Analyse the whole group again; the new SR names the earlier one (PS3.3 C.17.2.3).
                : await catalogue.TransitionStudyAsync(study.CalledAe, study.GroupUid, study.State, StudyState.Stable, cancellationToken).ConfigureAwait(false);
            if (acted)
            {
                var late = await LogReceivedAsync(study, study.CoveredThrough ?? study.StateChangedAt, cancellationToken).ConfigureAwait(false);
                AssemblyLog.LateArrivals(logger, study.CalledAe, study.GroupUid, late, settings.LateArrivals);
                if (settings.LateArrivals == LateArrivalPolicy.Reanalyse)
                {
                    AssemblyLog.Stable(logger, study.CalledAe, study.GroupUid, DueReason.Stable, study.InstanceCount);
                }
            }
        }
    }

    /// <summary>
    /// The "received" line of a group: how many instances came from which sending AE (all of them, or those after
    /// <paramref name="after"/> for late arrivals). Logged when the group goes quiet rather than per association: a
    /// study often spans several associations and one association several studies, and what the PACS administrator
    /// looks for is one line per study. Returns the count.
    /// </summary>
    private async Task<int> LogReceivedAsync(StudyRecord study, DateTimeOffset? after, CancellationToken cancellationToken)
    {
        var instances = await catalogue.GroupInstancesAsync(study.CalledAe, study.GroupUid, cancellationToken).ConfigureAwait(false);
        var counted = instances.Where(i => after is not { } t || i.ReceivedAt > t).ToList();
        var senders = string.Join(", ", counted
            .GroupBy(i => i.CallingAe, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} ({g.Count()})")));
        AssemblyLog.Received(logger, study.CalledAe, study.GroupUid, counted.Count, after is null ? "" : " after its last analysis", senders.Length == 0 ? "-" : senders);
        return counted.Count;
    }

    private async Task<bool> DecideAsync(StudyRecord study, CancellationToken cancellationToken)
    {
        var instances = await catalogue.GroupInstancesAsync(study.CalledAe, study.GroupUid, cancellationToken).ConfigureAwait(false);
        var match = AnalysisRules.Match(rulesOptions.CurrentValue.EffectiveFor(study.CalledAe), study.CalledAe, instances);
        if (!match.Matched)
        {
            var covered = instances.Count == 0 ? study.LastReceivedAt : instances.Max(i => i.ReceivedAt);
            if (await catalogue.RecordDecisionAsync(study.CalledAe, study.GroupUid, StudyState.Stable, StudyState.Ignored, covered, null, cancellationToken).ConfigureAwait(false))
            {
                AssemblyLog.NotAnalysed(logger, study.CalledAe, study.GroupUid, match.Reason);
            }

            return false;
        }

        // Queue first, then move the state: a crash between the two finds the group still stable and queues the same
        // key again, which returns the same job. The key names this version of the group (count and last arrival),
        // so a re-analysis after late arrivals is a new job and a repeated pass is not.
        var request = JobRequest.Create(JobKinds.Analyse, IdempotencyKey(study),
            new AnalysePayload(study.CalledAe, study.GroupUid, study.StudyInstanceUid), JobJsonContext.Default.AnalysePayload);
        var job = await jobs.EnqueueAsync(request, cancellationToken).ConfigureAwait(false);
        if (await catalogue.TransitionStudyAsync(study.CalledAe, study.GroupUid, StudyState.Stable, StudyState.Analysing, cancellationToken).ConfigureAwait(false))
        {
            AssemblyLog.Queued(logger, study.CalledAe, study.GroupUid, job.Id, match.Reason);
            return true;
        }

        return false;
    }

    /// <summary><c>analyse:&lt;AE&gt;:&lt;group&gt;:&lt;count&gt;:&lt;last arrival, ms&gt;</c>.</summary>
    public static string IdempotencyKey(StudyRecord study) =>
        string.Create(CultureInfo.InvariantCulture, $"analyse:{study.CalledAe}:{study.GroupUid}:{study.InstanceCount}:{study.LastReceivedAt.ToUnixTimeMilliseconds()}");
}
