using System.Net;
using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Security;
using MiniGptMed.DicomNode.Audit;
using MiniGptMed.DicomNode.Configuration;

namespace MiniGptMed.DicomNode.Reception;

/// <summary>
/// The DICOM TLS port (PS3.15 B.9): a second listener with the same policy, negotiation and store as the plain one,
/// and its own limits. A failed handshake is logged by the listener and audited as a Node Authentication alert.
/// </summary>
internal static partial class TlsReception
{
    public static DicomListener Start(
        ReceptionOptions options,
        DicomListenerOptions plain,
        IAssociationPolicy policy,
        PresentationContextNegotiator negotiator,
        IPresentationDataHandlerFactory handlers,
        AuditTrail audit,
        ILoggerFactory loggers)
    {
        var tls = options.Tls;
        var listenerOptions = new DicomListenerOptions
        {
            EndPoint = new IPEndPoint(IPAddress.IPv6Any, tls.Port!.Value),
            MaxAssociations = plain.MaxAssociations,
            MaxConnections = plain.MaxConnections,
            Association = plain.Association,
            // The same fair shares and address check as the plain port (each port counts its own connections).
            Admission = plain.Admission,
            RefusalLogWindow = plain.RefusalLogWindow,
            Tls = ReceptionTlsOptionsValidator.ToServerOptions(tls),
        };
        var listener = new DicomListener(listenerOptions, policy, negotiator, handlers, loggers.CreateLogger<DicomListener>());
        var localAe = options.EffectiveListeningAes[0].AeTitle.Trim();
        listener.AssociationClosed += error =>
        {
            if (error is TlsHandshakeException { PeerSentNothing: false } handshake)
            {
                audit.Record(AuditMessages.NodeAuthenticationFailure(handshake.Remote.Address, handshake.Reason, localAe, DateTimeOffset.UtcNow));
            }
        };
        listener.Start();
        Started(loggers.CreateLogger(typeof(TlsReception)), listener.LocalEndPoint.Port, tls.ClientCertificateMode, tls.DisablePlainPort);
        return listener;
    }

    [LoggerMessage(5090, LogLevel.Information, "DICOM TLS on port {Port} (TLS 1.2/1.3, BCP 195 suites), client certificates {ClientCertificates}{PlainNote}")]
    private static partial void Started(ILogger logger, int port, ClientCertificateMode clientCertificates, string plainNote);

    private static void Started(ILogger logger, int port, ClientCertificateMode clientCertificates, bool tlsOnly) =>
        Started(logger, port, clientCertificates, tlsOnly ? "; the plain port is closed" : string.Empty);
}
