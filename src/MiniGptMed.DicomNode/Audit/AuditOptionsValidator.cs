using Microsoft.Extensions.Options;

namespace MiniGptMed.DicomNode.Audit;

/// <summary>Checks <see cref="AuditOptions"/>; every failure names its key.</summary>
public sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        const string S = AuditOptions.Section;
        var errors = new List<string>();
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        if (options.Transport != AuditTransport.File && string.IsNullOrWhiteSpace(options.Host))
        {
            errors.Add($"{S}:Host is needed for the {options.Transport} transport.");
        }

        if (options.Port is < 0 or > 65535)
        {
            errors.Add($"{S}:Port is {options.Port}; it must be 0..65535.");
        }

        if (options.QueueCapacity is < 16 or > 1_000_000)
        {
            errors.Add($"{S}:QueueCapacity is {options.QueueCapacity}; it must be 16..1000000.");
        }

        if (options.Transport == AuditTransport.Tls)
        {
            if (string.IsNullOrWhiteSpace(options.TrustedCertificatesFile))
            {
                errors.Add($"{S}:TrustedCertificatesFile is needed for the Tls transport (the collector's CA, PEM).");
            }
            else if (!System.IO.File.Exists(options.TrustedCertificatesFile))
            {
                errors.Add($"{S}:TrustedCertificatesFile '{options.TrustedCertificatesFile}' does not exist.");
            }

            if (string.IsNullOrWhiteSpace(options.CertificateFile) != string.IsNullOrWhiteSpace(options.KeyFile))
            {
                errors.Add($"{S}:CertificateFile and {S}:KeyFile go together.");
            }
        }

        if (options.Transport == AuditTransport.File && string.IsNullOrWhiteSpace(options.File))
        {
            errors.Add($"{S}:File is empty.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
