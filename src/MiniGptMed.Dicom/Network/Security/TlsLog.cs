using System.Net;
using Microsoft.Extensions.Logging;

namespace MiniGptMed.Dicom.Network.Security;

/// <summary>DICOM TLS log messages: event IDs 1200-1249. Addresses and certificate subjects only.</summary>
internal static partial class TlsLog
{
    [LoggerMessage(1200, LogLevel.Warning, "TLS handshake with {Remote} failed: {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(1202, LogLevel.Debug, "Connection from {Remote} to the TLS port closed before a handshake")]
    public static partial void ClosedBeforeHandshake(ILogger logger, EndPoint? remote);

    [LoggerMessage(1201, LogLevel.Debug, "TLS with {Remote}: {Protocol} {CipherSuite}, client certificate {ClientSubject}")]
    public static partial void Established(ILogger logger, EndPoint? remote, System.Security.Authentication.SslProtocols protocol, System.Net.Security.TlsCipherSuite cipherSuite, string clientSubject);
}
