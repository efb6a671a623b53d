using Microsoft.Extensions.Logging;

namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>DIMSE log messages: event IDs 1100-1199. UIDs and AE titles only, never patient data.</summary>
internal static partial class DimseLog
{
    [LoggerMessage(1100, LogLevel.Debug, "C-STORE message {MessageId} from {Calling}: status {Status:X4}")]
    public static partial void Stored(ILogger logger, ushort messageId, string calling, ushort status);

    [LoggerMessage(1101, LogLevel.Debug, "C-STORE message {MessageId}: writing the instance failed")]
    public static partial void StoreWriteFailed(ILogger logger, ushort messageId, Exception exception);

    [LoggerMessage(1102, LogLevel.Warning, "C-STORE refused ({Why}): calling AE {Calling}, peer {Remote}, status {Status:X4}, SOP Instance UID {SopInstanceUid}")]
    public static partial void StoreRefused(ILogger logger, string why, string calling, System.Net.EndPoint? remote, ushort status, string sopInstanceUid);

    [LoggerMessage(1103, LogLevel.Error, "Flushing directory {Directory} to disk failed")]
    public static partial void DirectoryFlushFailed(ILogger logger, string directory, Exception exception);

    [LoggerMessage(1104, LogLevel.Information, "Recovery of {Directory}: {Recovered} complete instance(s) moved into place, {Discarded} partial file(s) removed, {Empty} empty file(s) kept")]
    public static partial void Recovered(ILogger logger, string directory, int recovered, int discarded, int empty);

    [LoggerMessage(1105, LogLevel.Error, "C-STORE message {MessageId}: the instance was stored but could not be recorded; refused with A700")]
    public static partial void StoreRecordFailed(ILogger logger, ushort messageId, Exception exception);

    [LoggerMessage(1106, LogLevel.Error, "C-STORE message {MessageId}: the instance was recorded, then not stored, and its record could not be taken back; the node's next start corrects it")]
    public static partial void StoreForgetFailed(ILogger logger, ushort messageId, Exception exception);
}
