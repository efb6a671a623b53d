using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;

namespace MiniGptMed.Dicom.Network.Security;

/// <summary>The acceptor side of DICOM TLS (PS3.15 B.9): our certificate, and whether and how peers must prove who they are.</summary>
public sealed class DicomTlsServerOptions
{
    private SslStreamCertificateContext? _context;

    /// <summary>Our certificate with its private key (<see cref="CertificateFiles.LoadCertificateWithKey"/>).</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>Intermediate CA certificates sent with ours, so peers that trust only the root can build the chain.</summary>
    public X509Certificate2Collection? Intermediates { get; init; }

    public ClientCertificateMode ClientCertificateMode { get; init; } = ClientCertificateMode.None;

    /// <summary>The CAs a client certificate must chain to; required unless <see cref="ClientCertificateMode"/> is None.</summary>
    public X509Certificate2Collection? TrustedClientCas { get; init; }

    public void Validate()
    {
        if (!Certificate.HasPrivateKey)
        {
            throw new ArgumentException("The TLS certificate has no private key.", nameof(Certificate));
        }

        if (ClientCertificateMode != ClientCertificateMode.None && TrustedClientCas is not { Count: > 0 })
        {
            throw new ArgumentException($"Client certificates are {ClientCertificateMode}: the CAs they must chain to are needed.", nameof(TrustedClientCas));
        }
    }

    /// <summary>The handshake options for one connection; <paramref name="problem"/> receives why a client certificate was refused.</summary>
    internal SslServerAuthenticationOptions ForConnection(StrongBox<string?> problem)
    {
        _context ??= SslStreamCertificateContext.Create(Certificate, Intermediates, offline: true);
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _context,
            EnabledSslProtocols = Bcp195.Protocols,
            CipherSuitesPolicy = Bcp195.Policy(),
            ClientCertificateRequired = ClientCertificateMode != ClientCertificateMode.None,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            // PS3.15 B.9 and RFC 9325 3.4: no renegotiation; TLS 1.3 has none anyway.
            AllowRenegotiation = false,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => CheckClient(certificate, problem),
        };
    }

    private bool CheckClient(X509Certificate? certificate, StrongBox<string?> problem)
    {
        if (certificate is null)
        {
            if (ClientCertificateMode == ClientCertificateMode.Required)
            {
                problem.Value = "the client sent no certificate, and one is required";
                return false;
            }

            return true;
        }

        if (ClientCertificateMode == ClientCertificateMode.None)
        {
            return true;
        }

        using var presented = new X509Certificate2(certificate);
        if (CertificateFiles.Chains(presented, TrustedClientCas!, null, CertificateFiles.ClientAuthentication, out var reason))
        {
            return true;
        }

        problem.Value = $"client certificate '{presented.Subject}' refused: {reason}";
        return false;
    }
}
