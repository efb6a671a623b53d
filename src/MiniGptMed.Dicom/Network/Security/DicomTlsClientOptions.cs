using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;

namespace MiniGptMed.Dicom.Network.Security;

/// <summary>The requestor side of DICOM TLS (PS3.15 B.9): which server certificates to trust, and our own certificate if the peer wants one.</summary>
public sealed class DicomTlsClientOptions
{
    /// <summary>The CAs the server's certificate must chain to (the system's store is not used).</summary>
    public required X509Certificate2Collection TrustedServerCas { get; init; }

    /// <summary>Our certificate with its key, sent when the server asks for one.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// Whether the server certificate must name the host we connect to (RFC 9525). Off by default, as DCMTK: DICOM
    /// peers are configured by address and AE title, and a site's DICOM certificates often name the AE, not the host.
    /// </summary>
    public bool CheckHostName { get; init; }

    internal SslClientAuthenticationOptions ForConnection(string host, StrongBox<string?> problem) => new()
    {
        TargetHost = host,
        EnabledSslProtocols = Bcp195.Protocols,
        CipherSuitesPolicy = Bcp195.Policy(),
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        AllowRenegotiation = false,
        ClientCertificates = ClientCertificate is null ? null : [ClientCertificate],
        LocalCertificateSelectionCallback = ClientCertificate is null ? null : (_, _, _, _, _) => ClientCertificate,
        RemoteCertificateValidationCallback = (_, certificate, _, errors) => CheckServer(certificate, errors, problem),
    };

    private bool CheckServer(X509Certificate? certificate, SslPolicyErrors errors, StrongBox<string?> problem)
    {
        if (certificate is null)
        {
            problem.Value = "the server sent no certificate";
            return false;
        }

        if (CheckHostName && errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            problem.Value = "the server certificate does not name the host";
            return false;
        }

        using var presented = new X509Certificate2(certificate);
        if (CertificateFiles.Chains(presented, TrustedServerCas, null, CertificateFiles.ServerAuthentication, out var reason))
        {
            return true;
        }

        problem.Value = $"server certificate '{presented.Subject}' refused: {reason}";
        return false;
    }
}
