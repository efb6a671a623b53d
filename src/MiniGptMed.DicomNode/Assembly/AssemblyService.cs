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
    // Late arrivals already reported under the Ignore policy (AE, group, count): one line per change, not per pass.
    private readonly HashSet<(string, string, int)> _reportedLate = [];

    // Groups whose analysis (or decision not to analyse) is done; new instances there are late arrivals.
    private static readonly StudyState[] LateStates = [StudyState.Analysed, StudyState.Ignored];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = assemblyOptions.CurrentValue;
        AssemblyLog.Started(logger, options.StableSeconds, options.MaxWaitSeconds, options.AeTitles.Count, rulesOptions.CurrentValue.Effective.Count);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
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
                await Task.Delay(TimeSpan.FromMilliseconds(assemblyOptions.CurrentValue.PollMilliseconds), time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

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
                AssemblyLog.Stable(logger, study.CalledAe, study.GroupUid, r, study.InstanceCount);
            }
        }
    }

    private async Task LateArrivalsAsync(AssemblyOptions options, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var state in LateStates)
        {
            foreach (var study in await catalogue.StudiesAsync(state, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                // PS3.4 B.2: nothing says a study is complete; an instance received after the analysis started is "late".
                if (study.LastReceivedAt <= study.StateChangedAt)
                {
                    continue;
                }

                var settings = options.For(study.CalledAe);
                if (settings.LateArrivals == LateArrivalPolicy.Ignore)
                {
                    if (_reportedLate.Add((study.CalledAe, study.GroupUid, study.InstanceCount)))
                    {
                        AssemblyLog.LateArrivals(logger, study.CalledAe, study.GroupUid, study.InstanceCount, settings.LateArrivals);
                    }

                    continue;
                }

                // Analyse again once the late instances have gone quiet too (or the maximum wait since they began).
                var quiet = now - study.LastReceivedAt >= settings.StableAfter;
                if (quiet && await catalogue.TransitionStudyAsync(study.CalledAe, study.GroupUid, state, StudyState.Stable, cancellationToken).ConfigureAwait(false))
                {
                    AssemblyLog.LateArrivals(logger, study.CalledAe, study.GroupUid, study.InstanceCount, settings.LateArrivals);
                    AssemblyLog.Stable(logger, study.CalledAe, study.GroupUid, DueReason.Stable, study.InstanceCount);
                }
            }
        }
    }

    private async Task<bool> DecideAsync(StudyRecord study, CancellationToken cancellationToken)
    {
        var instances = await catalogue.GroupInstancesAsync(study.CalledAe, study.GroupUid, cancellationToken).ConfigureAwait(false);
        var match = AnalysisRules.Match(rulesOptions.CurrentValue.EffectiveFor(study.CalledAe), study.CalledAe, instances);
        if (!match.Matched)
        {
            if (await catalogue.TransitionStudyAsync(study.CalledAe, study.GroupUid, StudyState.Stable, StudyState.Ignored, cancellationToken).ConfigureAwait(false))
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
