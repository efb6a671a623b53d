namespace MiniGptMed.DicomNode.Worklist.Notices;

/// <summary>
/// One way of telling the worklist (HL7, a webhook). Sending the same notice twice must have one effect at the
/// receiver: each channel carries an id stable per study version and channel (MSH-10, the delivery id).
/// Throw <see cref="Jobs.PermanentJobFailureException"/> when the receiver refused the notice for good (dead letter),
/// <see cref="NoticeRetryException"/> (or an I/O error) when another attempt may succeed.
/// </summary>
public interface INoticeChannel
{
    string Name { get; }

    ChannelResilienceOptions Resilience { get; }

    Task SendAsync(Notice notice, CancellationToken cancellationToken);
}

/// <summary>The receiver answered "not now" (HL7 AE, HTTP 5xx/429): worth another attempt.</summary>
public sealed class NoticeRetryException(string message, Exception? inner = null) : Exception(message, inner);
