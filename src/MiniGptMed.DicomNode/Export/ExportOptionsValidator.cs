using Microsoft.Extensions.Options;
using MiniGptMed.Dicom.Network;

namespace MiniGptMed.DicomNode.Export;

/// <summary>Checks <see cref="ExportOptions"/>; every failure names its configuration key.</summary>
public sealed class ExportOptionsValidator : IValidateOptions<ExportOptions>
{
    public ValidateOptionsResult Validate(string? name, ExportOptions options)
    {
        const string S = ExportOptions.Section;
        var errors = new List<string>();
        if (!AeTitle.IsValid(options.CallingAeTitle))
        {
            errors.Add($"{S}:CallingAeTitle '{options.CallingAeTitle}' is not an AE title.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Destinations.Count; i++)
        {
            var d = options.Destinations[i];
            var key = $"{S}:Destinations:{i}";
            if (string.IsNullOrWhiteSpace(d.Name) || d.Name.Any(c => c == ':' || char.IsControl(c) || char.IsWhiteSpace(c)))
            {
                errors.Add($"{key}:Name '{d.Name}' is empty or has a colon, a space or a control character.");
            }
            else if (!names.Add(d.Name))
            {
                errors.Add($"{key}:Name '{d.Name}' is used by another destination.");
            }

            if (d.Type == DestinationType.Folder)
            {
                if (string.IsNullOrWhiteSpace(d.Path) || d.Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
                {
                    errors.Add($"{key}:Path '{d.Path}' is not a folder path.");
                }

                continue;
            }

            if (!AeTitle.IsValid(d.AeTitle))
            {
                errors.Add($"{key}:AeTitle '{d.AeTitle}' is not an AE title (1-16 characters, no backslash or control characters).");
            }

            if (string.IsNullOrWhiteSpace(d.Host))
            {
                errors.Add($"{key}:Host is empty.");
            }

            Range(errors, $"{key}:Port", d.Port, 1, 65535);
            Range(errors, $"{key}:AttemptTimeoutSeconds", d.AttemptTimeoutSeconds, 1, 86400);
            Range(errors, $"{key}:Retries", d.Retries, 0, 100);
            Range(errors, $"{key}:RetryDelayMilliseconds", d.RetryDelayMilliseconds, 1, 3_600_000);
            Range(errors, $"{key}:BreakAfterFailures", d.BreakAfterFailures, 2, 10_000);
            Range(errors, $"{key}:BreakSeconds", d.BreakSeconds, 1, 86400);
            if ((d.TlsCertificateFile is null) != (d.TlsKeyFile is null))
            {
                errors.Add($"{key}:TlsCertificateFile and TlsKeyFile go together.");
            }

            if (d.TlsCertificateFile is not null && d.TlsCaFile is null)
            {
                errors.Add($"{key}:TlsCertificateFile needs TlsCaFile (TLS is on when TlsCaFile is set).");
            }

            foreach (var (file, field) in new[] { (d.TlsCaFile, "TlsCaFile"), (d.TlsCertificateFile, "TlsCertificateFile"), (d.TlsKeyFile, "TlsKeyFile") })
            {
                if (file is not null && !File.Exists(file))
                {
                    errors.Add($"{key}:{field} '{file}' does not exist.");
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} is {value}; it must be between {min} and {max}.");
        }
    }
}
