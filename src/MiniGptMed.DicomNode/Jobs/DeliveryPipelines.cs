using System.Collections.Concurrent;
using System.Net.Sockets;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace MiniGptMed.DicomNode.Jobs;

/// <summary>The resilience settings of one delivery target (an export destination, a worklist channel).</summary>
internal readonly record struct DeliverySettings(int AttemptTimeoutSeconds, int Retries, int RetryDelayMilliseconds, int BreakAfterFailures, int BreakSeconds);

/// <summary>What a pipeline tells its owner's log: a retry (target, attempt, delay in ms, why) and an opened circuit (target, seconds).</summary>
internal sealed record DeliveryEvents(Action<string, int, double, string> Retrying, Action<string, double> CircuitOpened);

/// <summary>
/// One resilience pipeline per delivery target, shared by Export (DicomExporter) and the worklist notices
/// (NotifyJobHandler): a timeout per attempt, retries with exponential backoff and jitter for what may pass next time
/// (a refused connection, an I/O error, a timeout, and what the owner calls transient), and a circuit breaker so that
/// a target that is down is not called by every job in turn. A pipeline is kept across jobs (the breaker's memory)
/// and rebuilt when its settings change. What still fails after the retries fails the job's attempt: the queue's own
/// backoff, then the dead letter.
/// </summary>
internal sealed class DeliveryPipelines(TimeProvider time, Func<Exception, bool> isTransient, DeliveryEvents events)
{
    private readonly ConcurrentDictionary<string, (DeliverySettings Settings, ResiliencePipeline Pipeline)> _pipelines = new(StringComparer.Ordinal);

    public ResiliencePipeline For(string target, DeliverySettings settings) =>
        _pipelines.AddOrUpdate(target,
            _ => (settings, Build(target, settings)),
            (_, existing) => existing.Settings == settings ? existing : (settings, Build(target, settings))).Pipeline;

    private ResiliencePipeline Build(string target, DeliverySettings settings)
    {
        var transient = new PredicateBuilder()
            .Handle<SocketException>()
            .Handle<IOException>()
            .Handle<TimeoutRejectedException>()
            .Handle<Exception>(isTransient);
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (settings.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = settings.Retries,
                Delay = TimeSpan.FromMilliseconds(settings.RetryDelayMilliseconds),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    events.Retrying(target, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, args.Outcome.Exception?.Message ?? "");
                    return default;
                },
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                // Consecutive failures, in effect: the ratio is 1 over a window that holds BreakAfterFailures attempts.
                FailureRatio = 1.0,
                MinimumThroughput = settings.BreakAfterFailures,
                SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, settings.AttemptTimeoutSeconds * settings.BreakAfterFailures)),
                BreakDuration = TimeSpan.FromSeconds(settings.BreakSeconds),
                OnOpened = args =>
                {
                    events.CircuitOpened(target, args.BreakDuration.TotalSeconds);
                    return default;
                },
            })
            .AddTimeout(TimeSpan.FromSeconds(settings.AttemptTimeoutSeconds))
            .Build();
    }
}
