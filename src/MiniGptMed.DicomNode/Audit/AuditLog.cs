using Microsoft.Extensions.Logging;

namespace MiniGptMed.DicomNode.Audit;

/// <summary>The audit trail's own log messages: event IDs 5200-5219. Counts and addresses, never patient data.</summary>
internal static partial class AuditLog
{
    [LoggerMessage(5200, LogLevel.Information, "Audit trail: {Transport} to {Destination}")]
    public static partial void Started(ILogger logger, AuditTransport transport, string destination);

    [LoggerMessage(5201, LogLevel.Warning, "Audit queue full ({Capacity} messages): {Dropped} audit messages dropped so far")]
    public static partial void Dropped(ILogger logger, int capacity, long dropped);

    [LoggerMessage(5202, LogLevel.Warning, "Audit messages could not be sent to {Destination} ({Failed} so far): {Reason}")]
    public static partial void SendFailed(ILogger logger, string destination, long failed, string reason);

    [LoggerMessage(5203, LogLevel.Information, "Audit messages reach {Destination} again")]
    public static partial void SendRecovered(ILogger logger, string destination);

    [LoggerMessage(5204, LogLevel.Information, "Audit trail stopped: {Sent} sent, {Failed} not sent, {Dropped} dropped")]
    public static partial void Stopped(ILogger logger, long sent, long failed, long dropped);

    [LoggerMessage(5205, LogLevel.Debug, "The study of a received instance could not be read for the audit trail: {Reason}")]
    public static partial void StudyUnreadable(ILogger logger, string reason);
}
