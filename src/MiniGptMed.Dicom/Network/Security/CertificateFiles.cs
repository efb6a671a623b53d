using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MiniGptMed.Dicom.Network.Security;

/// <summary>PEM files as a site's PKI hands them out: a certificate (with its chain) and its key, and CA bundles.</summary>
public static class CertificateFiles
{
    /// <summary>The certificate of the first PEM block of <paramref name="certificateFile"/>, with the private key of <paramref name="keyFile"/>.</summary>
    /// <exception cref="CryptographicException">The files cannot be read, or the key does not match the certificate.</exception>
    public static X509Certificate2 LoadCertificateWithKey(string certificateFile, string keyFile)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CryptographicException($"Cannot read the certificate '{certificateFile}' and key '{keyFile}': {ex.Message}", ex);
        }
    }

    /// <summary>Every certificate in a PEM bundle (the CAs to trust, or a chain to send).</summary>
    /// <exception cref="CryptographicException">The file cannot be read or holds no certificate.</exception>
    public static X509Certificate2Collection LoadBundle(string file)
    {
        var bundle = new X509Certificate2Collection();
        try
        {
            bundle.ImportFromPemFile(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CryptographicException($"Cannot read the certificate bundle '{file}': {ex.Message}", ex);
        }

        return bundle.Count > 0 ? bundle : throw new CryptographicException($"'{file}' holds no PEM certificate.");
    }

    /// <summary>
    /// Whether <paramref name="certificate"/> chains to one of <paramref name="trusted"/> only (the system's store is
    /// not consulted: a site's DICOM PKI is its own), is within its validity period, and may be used for
    /// <paramref name="purposeOid"/> when it names extended key usages. Revocation is not checked (no CRL or OCSP
    /// reachable in most hospital networks); a site revokes by removing the CA or the peer.
    /// </summary>
    public static bool Chains(X509Certificate2 certificate, X509Certificate2Collection trusted, X509Certificate2Collection? extra, string purposeOid, out string problem)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(purposeOid));
        if (extra is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(extra);
        }

        if (chain.Build(certificate))
        {
            problem = string.Empty;
            return true;
        }

        problem = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        if (problem.Length == 0)
        {
            problem = "the certificate does not chain to a trusted CA";
        }

        return false;
    }

    /// <summary>RFC 5280 4.2.1.12: id-kp-serverAuth.</summary>
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>RFC 5280 4.2.1.12: id-kp-clientAuth.</summary>
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
}
