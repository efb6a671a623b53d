using System.Net;

namespace MiniGptMed.Dicom.Network.Security;

/// <summary>A TLS handshake did not complete: wrong or expired certificate, no common protocol, not TLS at all, too slow.</summary>
public sealed class TlsHandshakeException : IOException
{
    public TlsHandshakeException(IPEndPoint remote, string reason, Exception? inner = null)
        : base($"TLS handshake with {remote} failed: {reason}", inner)
    {
        Remote = remote;
        Reason = reason;
    }

    public IPEndPoint Remote { get; }

    public string Reason { get; }

    /// <summary>The peer closed the connection without sending a byte: a probe, not an authentication attempt.</summary>
    public bool PeerSentNothing { get; init; }
}
