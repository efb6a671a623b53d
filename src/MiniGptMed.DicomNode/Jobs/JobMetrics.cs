using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MiniGptMed.DicomNode.Jobs;

/// <summary>
/// The queue's depth by state (meter <c>MiniGptMed.Jobs</c>), read from the database every few seconds by
/// <see cref="JobStateSampler"/>: a scrape reads the last sample and never waits on the database.
/// </summary>
internal static class JobMetrics
{
    public const string MeterName = "MiniGptMed.Jobs";

    private static readonly Meter Meter = new(MeterName);

    private static volatile IReadOnlyDictionary<JobState, int>? _byState;

    public static readonly ObservableGauge<int> ByState = Meter.CreateObservableGauge("minigptmed.jobs", Observe, "{job}",
        "Jobs in the queue by state (sampled every Admin:MetricsSampleSeconds).");

    public static void Sampled(IReadOnlyDictionary<JobState, int> counts) => _byState = counts;

    private static IEnumerable<Measurement<int>> Observe()
    {
        if (_byState is not { } counts)
        {
            yield break;
        }

        // Every state, zeros included: a series that vanishes when it reaches 0 breaks rate() and alerts.
        foreach (var state in Enum.GetValues<JobState>())
        {
            yield return new Measurement<int>(counts.TryGetValue(state, out var n) ? n : 0, new KeyValuePair<string, object?>("state", state.ToText()));
        }
    }
}

/// <summary>Samples <see cref="IJobQueue.CountByStateAsync"/> for <see cref="JobMetrics"/>.</summary>
internal sealed partial class JobStateSampler(IJobQueue jobs, TimeSpan period, ILogger<JobStateSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period);
        do
        {
            try
            {
                JobMetrics.Sampled(await jobs.CountByStateAsync(stoppingToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SampleFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(5820, LogLevel.Warning, "Metrics: the job counts could not be read: {Problem}")]
    private static partial void SampleFailed(ILogger logger, string problem);
}
