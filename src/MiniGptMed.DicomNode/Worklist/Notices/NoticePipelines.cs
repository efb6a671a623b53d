using System.Collections.Concurrent;
using System.Net.Http;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace MiniGptMed.DicomNode.Worklist.Notices;

/// <summary>
/// One resilience pipeline per channel, the shape of Export's (DicomExporter): a timeout per attempt, retries with
/// exponential backoff and jitter for what may pass (an AE answer, a 5xx, a refused connection), and a circuit breaker
/// so that a receiver that is down is not called by every job in turn. What is still failing after the retries fails
/// the job's attempt: the queue's own backoff, then the dead letter.
/// </summary>
internal sealed class NoticePipelines(TimeProvider time, ILogger logger)
{
    private readonly ConcurrentDictionary<string, (ChannelResilienceOptions Options, ResiliencePipeline Pipeline)> _pipelines = new(StringComparer.Ordinal);

    public ResiliencePipeline For(INoticeChannel channel)
    {
        var options = channel.Resilience;
        return _pipelines.AddOrUpdate(channel.Name,
            _ => (options, Build(channel.Name, options)),
            (_, existing) => Same(existing.Options, options) ? existing : (options, Build(channel.Name, options))).Pipeline;
    }

    private static bool Same(ChannelResilienceOptions a, ChannelResilienceOptions b) =>
        a.AttemptTimeoutSeconds == b.AttemptTimeoutSeconds && a.Retries == b.Retries && a.RetryDelayMilliseconds == b.RetryDelayMilliseconds
        && a.BreakAfterFailures == b.BreakAfterFailures && a.BreakSeconds == b.BreakSeconds;

    private ResiliencePipeline Build(string name, ChannelResilienceOptions o)
    {
        var transient = new PredicateBuilder()
            .Handle<NoticeRetryException>()
            .Handle<HttpRequestException>()
            .Handle<SocketException>()
            .Handle<IOException>()
            .Handle<TimeoutRejectedException>();
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (o.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = o.Retries,
                Delay = TimeSpan.FromMilliseconds(o.RetryDelayMilliseconds),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    WorklistLog.Retrying(logger, name, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, args.Outcome.Exception?.Message ?? "");
                    return default;
                },
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = 1.0,
                MinimumThroughput = o.BreakAfterFailures,
                SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, o.AttemptTimeoutSeconds * o.BreakAfterFailures)),
                BreakDuration = TimeSpan.FromSeconds(o.BreakSeconds),
                OnOpened = args =>
                {
                    WorklistLog.CircuitOpened(logger, name, args.BreakDuration.TotalSeconds);
                    return default;
                },
            })
            .AddTimeout(TimeSpan.FromSeconds(o.AttemptTimeoutSeconds))
            .Build();
    }
}
