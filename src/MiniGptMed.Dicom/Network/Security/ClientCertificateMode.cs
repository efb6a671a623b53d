namespace MiniGptMed.Dicom.Network.Security;

/// <summary>Whether the TLS acceptor asks for a client certificate (PS3.15 B.9: each node may authenticate the other).</summary>
public enum ClientCertificateMode
{
    /// <summary>No certificate asked for: the server is authenticated, the peer only by its AE title and address.</summary>
    None,

    /// <summary>Asked for; a peer without one is let in, one with a certificate that does not chain to the trusted CAs is refused.</summary>
    Optional,

    /// <summary>A certificate that chains to the trusted CAs is required.</summary>
    Required,
}
