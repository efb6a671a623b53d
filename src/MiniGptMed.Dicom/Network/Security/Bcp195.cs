using System.Net.Security;
using System.Security.Authentication;

namespace MiniGptMed.Dicom.Network.Security;

/// <summary>
/// PS3.15 B.9, the "Non-downgrading BCP 195 TLS Secure Transport Connection Profile": TLS 1.2 or 1.3 only (no
/// fallback to older versions), with the cipher suites BCP 195 (RFC 9325 4.2) recommends: forward-secret key
/// exchange (ECDHE, DHE) and authenticated encryption (AES-GCM) for TLS 1.2, the TLS 1.3 AEAD suites.
/// </summary>
public static class Bcp195
{
    /// <summary>TLS 1.2 and 1.3; SslStream then refuses a client hello that offers only older versions.</summary>
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>The suites in the order we prefer them (RFC 9325 4.2; the TLS 1.3 ones from RFC 8446 9.1).</summary>
    public static IReadOnlyList<TlsCipherSuite> CipherSuites { get; } =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
    ];

    /// <summary>
    /// The suites as a policy where the platform lets us set one (Linux and macOS with OpenSSL); elsewhere null
    /// and the operating system's own policy applies (Windows configures suites system-wide).
    /// </summary>
    public static CipherSuitesPolicy? Policy()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            return new CipherSuitesPolicy(CipherSuites);
        }

        return null;
    }
}
