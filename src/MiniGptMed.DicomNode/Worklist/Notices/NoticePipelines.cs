using System.Net.Http;
using Microsoft.Extensions.Logging;
using MiniGptMed.DicomNode.Jobs;
using Polly;

namespace MiniGptMed.DicomNode.Worklist.Notices;

/// <summary>
/// One resilience pipeline per channel, built by the same <see cref="DeliveryPipelines"/> as Export's: besides refused
/// connections, I/O errors and timeouts, a "not now" answer (<see cref="NoticeRetryException"/>: an HL7 AE, an HTTP
/// 5xx/408/429) and an HTTP failure are retried within the job; with <c>Retries</c> 0 the job's attempt fails at once.
/// </summary>
internal sealed class NoticePipelines(TimeProvider time, ILogger logger)
{
    private readonly DeliveryPipelines _pipelines = new(time, ex => ex is NoticeRetryException or HttpRequestException, new DeliveryEvents(
        (name, attempt, delay, message) => WorklistLog.Retrying(logger, name, attempt, delay, message),
        (name, seconds) => WorklistLog.CircuitOpened(logger, name, seconds)));

    public ResiliencePipeline For(INoticeChannel channel)
    {
        var o = channel.Resilience;
        return _pipelines.For(channel.Name, new DeliverySettings(o.AttemptTimeoutSeconds, o.Retries, o.RetryDelayMilliseconds, o.BreakAfterFailures, o.BreakSeconds));
    }
}
