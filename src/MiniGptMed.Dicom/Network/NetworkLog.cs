using System.Net;
using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.Network.Pdu;

namespace MiniGptMed.Dicom.Network;

/// <summary>Network log messages: event IDs 1000-1099. AE titles and addresses only, never patient data.</summary>
internal static partial class NetworkLog
{
    [LoggerMessage(1000, LogLevel.Information, "DICOM listener on {EndPoint}")]
    public static partial void Listening(ILogger logger, EndPoint endPoint);

    [LoggerMessage(1001, LogLevel.Debug, "Connection from {Remote}")]
    public static partial void Connected(ILogger logger, EndPoint? remote);

    [LoggerMessage(1002, LogLevel.Information, "Association accepted: {Calling} -> {Called} from {Remote}, {Accepted}/{Proposed} contexts, peer max PDU {PeerMaxPdu}")]
    public static partial void Accepted(ILogger logger, string calling, string called, EndPoint? remote, int accepted, int proposed, uint peerMaxPdu);

    [LoggerMessage(1003, LogLevel.Warning, "Association refused ({Why}): calling AE {Calling}, called AE {Called}, peer {Remote}, A-ASSOCIATE-RJ {Result}/{Source}/{Reason}")]
    public static partial void Rejected(ILogger logger, string why, string calling, string called, EndPoint? remote, RejectResult result, RejectSource source, byte reason);

    [LoggerMessage(1004, LogLevel.Information, "Association released: {Calling} -> {Called}")]
    public static partial void Released(ILogger logger, string calling, string called);

    [LoggerMessage(1005, LogLevel.Warning, "Association aborted ({Remote}): {Message}")]
    public static partial void Aborted(ILogger logger, EndPoint? remote, string message, Exception? exception);

    [LoggerMessage(1006, LogLevel.Information, "ARTIM timer expired for {Remote} in {State}; connection closed")]
    public static partial void ArtimExpired(ILogger logger, EndPoint? remote, Association.UpperLayerState state);

    [LoggerMessage(1007, LogLevel.Warning, "Peer {Remote} aborted the association: {Source}/{Reason}")]
    public static partial void PeerAborted(ILogger logger, EndPoint? remote, AbortSource source, AbortReason reason);

    [LoggerMessage(1008, LogLevel.Warning, "Connection refused at accept ({Why}): peer {Remote}, closed unread")]
    public static partial void ConnectionRefused(ILogger logger, string why, EndPoint? remote);

    [LoggerMessage(1010, LogLevel.Warning, "... and {Count} more like it in the last {Seconds} s: {Kind}; calling AE {Calling}, peer {Remote}, status {Status}")]
    public static partial void RefusalsSummarised(ILogger logger, int count, string kind, string calling, string remote, string status, double seconds);

    [LoggerMessage(1009, LogLevel.Error, "Accept loop failed on {EndPoint}")]
    public static partial void AcceptFailed(ILogger logger, EndPoint endPoint, Exception exception);
}
