using Microsoft.Extensions.Logging;
using MiniGptMed.DicomNode.Worklist.Triage;

namespace MiniGptMed.DicomNode.Worklist;

/// <summary>The worklist's log: event IDs 5700-5739. AE titles, UIDs, priorities, channels; never a patient's name or ID.</summary>
internal static partial class WorklistLog
{
    [LoggerMessage(5700, LogLevel.Information, "Triage: {CalledAe} group {GroupUid} is {Priority}: {Summary}")]
    public static partial void Triaged(ILogger logger, string calledAe, string groupUid, TriagePriority priority, string summary);

    [LoggerMessage(5701, LogLevel.Information, "Notice: study {StudyUid} version {Version} delivered to {Channel}")]
    public static partial void Delivered(ILogger logger, string studyUid, long version, string channel);

    [LoggerMessage(5702, LogLevel.Warning, "Notice: {Channel} attempt {Attempt} failed, next in {DelayMs} ms: {Message}")]
    public static partial void Retrying(ILogger logger, string channel, int attempt, double delayMs, string message);

    [LoggerMessage(5703, LogLevel.Warning, "Notice: {Channel} failed repeatedly; left alone for {Seconds} s")]
    public static partial void CircuitOpened(ILogger logger, string channel, double seconds);

    [LoggerMessage(5704, LogLevel.Information, "Notice: study {StudyUid} version {Version} to {Channel} not sent: version {Current} supersedes it")]
    public static partial void Superseded(ILogger logger, string studyUid, long version, string channel, long current);

    [LoggerMessage(5705, LogLevel.Error, "Notice: {Channel} refused study {StudyUid} version {Version}: {Message}")]
    public static partial void Refused(ILogger logger, string channel, string studyUid, long version, string message);

    [LoggerMessage(5706, LogLevel.Information, "Notice: FHIR answered {Status} for study {StudyUid} version {Version}: {Created} entries created, {Existing} already there")]
    public static partial void FhirAccepted(ILogger logger, string studyUid, long version, int status, int created, int existing);

    [LoggerMessage(5707, LogLevel.Debug, "Notice: FHIR access token obtained from {TokenUrl}, valid for {Seconds} s")]
    public static partial void FhirToken(ILogger logger, string tokenUrl, double seconds);
}
