using Microsoft.Extensions.Options;

namespace MiniGptMed.DicomNode.Http;

/// <summary>Checks <see cref="AdminOptions"/>; every failure names its configuration key.</summary>
public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var errors = new List<string>();
        var section = AdminOptions.Section;
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        if (!AdminOptions.TryParseUrl(options.Url, out var endPoint, out var https))
        {
            errors.Add($"{section}:Url '{options.Url}' is not http(s)://ADDRESS:PORT (an IP address, localhost, or * for every interface; no path).");
        }
        else if (endPoint.Port is < 0 or > 65535)
        {
            errors.Add($"{section}:Url port {endPoint.Port} is not 0..65535.");
        }
        else if (https && (string.IsNullOrWhiteSpace(options.CertificateFile) || string.IsNullOrWhiteSpace(options.KeyFile)))
        {
            errors.Add($"{section}:CertificateFile and {section}:KeyFile are needed for an https Url.");
        }

        foreach (var (key, file) in new[] { ("CertificateFile", options.CertificateFile), ("KeyFile", options.KeyFile) })
        {
            if (!string.IsNullOrWhiteSpace(file) && !File.Exists(file))
            {
                errors.Add($"{section}:{key} '{file}' does not exist.");
            }
        }

        if (!Enum.IsDefined(options.Authentication))
        {
            errors.Add($"{section}:Authentication '{options.Authentication}' is not Auto or Required.");
        }

        if (options.SessionMinutes is < 1 or > 7 * 24 * 60)
        {
            errors.Add($"{section}:SessionMinutes is {options.SessionMinutes}; it must be 1..10080.");
        }

        if (options.MetricsSampleSeconds is < 1 or > 3600)
        {
            errors.Add($"{section}:MetricsSampleSeconds is {options.MetricsSampleSeconds}; it must be 1..3600.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
