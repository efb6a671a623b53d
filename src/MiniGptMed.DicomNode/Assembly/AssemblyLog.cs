using Microsoft.Extensions.Logging;
using MiniGptMed.DicomNode.Catalogue;

namespace MiniGptMed.DicomNode.Assembly;

/// <summary>
/// Assembly's log: event IDs 5600-5619, one line per group per stage. Groups are named by AE title and UID (a DICOM
/// identifier, not patient data); counts and rule names only.
/// </summary>
internal static partial class AssemblyLog
{
    [LoggerMessage(5600, LogLevel.Information, "Assembly: {CalledAe} group {GroupUid} stable ({Reason}): {Count} instances")]
    public static partial void Stable(ILogger logger, string calledAe, string groupUid, DueReason reason, int count);

    [LoggerMessage(5601, LogLevel.Information, "Assembly: {CalledAe} group {GroupUid} queued for analysis as job {JobId} by {Reason}")]
    public static partial void Queued(ILogger logger, string calledAe, string groupUid, long jobId, string reason);

    [LoggerMessage(5602, LogLevel.Information, "Assembly: {CalledAe} group {GroupUid} not analysed: {Reason}")]
    public static partial void NotAnalysed(ILogger logger, string calledAe, string groupUid, string reason);

    [LoggerMessage(5603, LogLevel.Information, "Assembly: {CalledAe} group {GroupUid}: {Count} instances arrived that its last analysis did not cover; policy {Policy}")]
    public static partial void LateArrivals(ILogger logger, string calledAe, string groupUid, int count, LateArrivalPolicy policy);

    [LoggerMessage(5604, LogLevel.Error, "Assembly: a pass over the catalogue failed; the next pass tries again")]
    public static partial void PassFailed(ILogger logger, Exception exception);

    [LoggerMessage(5605, LogLevel.Information, "Assembly: started (stable after {StableSeconds} s, at most {MaxWaitSeconds} s; {Overrides} AE overrides; {Rules} analysis rules)")]
    public static partial void Started(ILogger logger, int stableSeconds, int maxWaitSeconds, int overrides, int rules);

    [LoggerMessage(5606, LogLevel.Information, "Assembly: {CalledAe} group {GroupUid} received {Count} instances{Late} from {CallingAes}")]
    public static partial void Received(ILogger logger, string calledAe, string groupUid, int count, string late, string callingAes);
}
