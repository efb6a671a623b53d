using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using MiniGptMed.Dicom.Network.Security;

namespace MiniGptMed.DicomNode.Configuration;

/// <summary>Checks <c>Reception:Tls</c>: the files exist and load (a key that does not match its certificate is found at start, not at the first peer).</summary>
public sealed class ReceptionTlsOptionsValidator : IValidateOptions<ReceptionOptions>
{
    public ValidateOptionsResult Validate(string? name, ReceptionOptions options)
    {
        const string S = ReceptionOptions.Section + ":Tls";
        var tls = options.Tls;
        var errors = new List<string>();
        if (!tls.Enabled)
        {
            if (tls.DisablePlainPort)
            {
                errors.Add($"{S}:DisablePlainPort is true but {S}:Port is not set: the node would listen nowhere.");
            }

            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }

        if (tls.Port is < 0 or > 65535)
        {
            errors.Add($"{S}:Port is {tls.Port}; it must be 0..65535.");
        }
        else if (tls.Port != 0 && tls.Port == options.Port && !tls.DisablePlainPort)
        {
            errors.Add($"{S}:Port {tls.Port} is also {ReceptionOptions.Section}:Port.");
        }

        if (string.IsNullOrWhiteSpace(tls.CertificateFile) || string.IsNullOrWhiteSpace(tls.KeyFile))
        {
            errors.Add($"{S}:CertificateFile and {S}:KeyFile (PEM) are needed when {S}:Port is set.");
        }
        else
        {
            try
            {
                using var certificate = CertificateFiles.LoadCertificateWithKey(tls.CertificateFile, tls.KeyFile);
                if (certificate.NotAfter < DateTime.Now)
                {
                    errors.Add($"{S}:CertificateFile '{tls.CertificateFile}' expired on {certificate.NotAfter:yyyy-MM-dd}.");
                }
            }
            catch (CryptographicException ex)
            {
                errors.Add($"{S}:CertificateFile/{S}:KeyFile: {ex.Message}");
            }
        }

        if (tls.ClientCertificateMode != ClientCertificateMode.None)
        {
            if (string.IsNullOrWhiteSpace(tls.TrustedCertificatesFile))
            {
                errors.Add($"{S}:TrustedCertificatesFile (the CAs of client certificates, PEM) is needed when {S}:ClientCertificateMode is {tls.ClientCertificateMode}.");
            }
            else
            {
                try
                {
                    _ = CertificateFiles.LoadBundle(tls.TrustedCertificatesFile);
                }
                catch (CryptographicException ex)
                {
                    errors.Add($"{S}:TrustedCertificatesFile: {ex.Message}");
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The listener's TLS settings from validated options.</summary>
    public static DicomTlsServerOptions ToServerOptions(ReceptionTlsOptions tls)
    {
        var chain = CertificateFiles.LoadBundle(tls.CertificateFile!);
        return new DicomTlsServerOptions
        {
            Certificate = CertificateFiles.LoadCertificateWithKey(tls.CertificateFile!, tls.KeyFile!),
            Intermediates = chain.Count > 1 ? new System.Security.Cryptography.X509Certificates.X509Certificate2Collection(chain.Skip(1).ToArray()) : null,
            ClientCertificateMode = tls.ClientCertificateMode,
            TrustedClientCas = tls.ClientCertificateMode == ClientCertificateMode.None ? null : CertificateFiles.LoadBundle(tls.TrustedCertificatesFile!),
        };
    }
}
