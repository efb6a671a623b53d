using Microsoft.Extensions.Logging;

namespace MiniGptMed.DicomNode.Export;

/// <summary>Export's log: event IDs 5660-5679. Destinations, study UIDs, counts and statuses; never patient data.</summary>
internal static partial class ExportLog
{
    [LoggerMessage(5660, LogLevel.Information, "Export: study {StudyUid} to {Destination}: {Count} objects delivered")]
    public static partial void Delivered(ILogger logger, string studyUid, string destination, int count);

    [LoggerMessage(5661, LogLevel.Warning, "Export: {Destination} attempt {Attempt} failed, retrying in {DelayMs} ms: {Message}")]
    public static partial void Retrying(ILogger logger, string destination, int attempt, double delayMs, string message);

    [LoggerMessage(5662, LogLevel.Warning, "Export: {Destination} circuit open for {BreakSeconds} s after repeated failures; its jobs wait in the queue")]
    public static partial void CircuitOpened(ILogger logger, string destination, double breakSeconds);

    [LoggerMessage(5663, LogLevel.Error, "Export: study {StudyUid} to {Destination}: {Count} objects refused for good: {Statuses}")]
    public static partial void Refused(ILogger logger, string studyUid, string destination, int count, string statuses);

    [LoggerMessage(5664, LogLevel.Debug, "Export: study {StudyUid} to {Destination}: {File} answered {Status:X4}, {Milliseconds} ms into the job")]
    public static partial void Acknowledged(ILogger logger, string studyUid, string destination, string file, int status, long milliseconds);
}
