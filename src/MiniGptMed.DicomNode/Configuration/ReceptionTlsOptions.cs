using MiniGptMed.Dicom.Network.Security;

namespace MiniGptMed.DicomNode.Configuration;

/// <summary>
/// DICOM TLS for reception (<c>Reception:Tls</c>; PS3.15 B.9, the non-downgrading BCP 195 profile): a TLS port beside
/// the plain one, or instead of it. Read at start.
/// </summary>
public sealed class ReceptionTlsOptions
{
    /// <summary>The TLS port; unset: no TLS. 2762 is the registered DICOM-TLS port (PS3.15 B.1 note, IANA "dicom-tls"); 0 lets the OS choose (tests).</summary>
    public int? Port { get; set; }

    /// <summary>Our certificate (PEM); further certificates in the file are sent as its chain.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>Its private key (PEM, unencrypted; keep the file readable by the node's user only).</summary>
    public string? KeyFile { get; set; }

    public ClientCertificateMode ClientCertificateMode { get; set; } = ClientCertificateMode.None;

    /// <summary>PEM bundle of the CAs client certificates must chain to; needed unless ClientCertificateMode is None.</summary>
    public string? TrustedCertificatesFile { get; set; }

    /// <summary>True: only the TLS port is opened, not <c>Reception:Port</c>.</summary>
    public bool DisablePlainPort { get; set; }

    public bool Enabled => Port is not null;
}
