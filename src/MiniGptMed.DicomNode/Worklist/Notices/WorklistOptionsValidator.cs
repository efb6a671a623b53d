using System.Globalization;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Worklist.Fhir;

namespace MiniGptMed.DicomNode.Worklist.Notices;

/// <summary>Checks <c>Worklist</c> at start; every message names its key.</summary>
internal sealed class WorklistOptionsValidator : IValidateOptions<WorklistOptions>
{
    public ValidateOptionsResult Validate(string? name, WorklistOptions options)
    {
        const string S = WorklistOptions.Section;
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Hl7.Host))
        {
            if (options.Hl7.Port is < 1 or > 65535)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{S}:Hl7:Port {options.Hl7.Port} is not a TCP port"));
            }

            if (options.Hl7.ProcessingId is not ("P" or "T" or "D"))
            {
                errors.Add($"{S}:Hl7:ProcessingId '{options.Hl7.ProcessingId}' must be P, T or D (HL7 table 0103)");
            }

            if (options.Hl7.MaxAckBytes is < 256 or > 16 * 1024 * 1024)
            {
                errors.Add($"{S}:Hl7:MaxAckBytes must be between 256 and 16777216");
            }

            Resilience(errors, $"{S}:Hl7", options.Hl7);
        }

        if (!string.IsNullOrWhiteSpace(options.Fhir.BaseUrl))
        {
            CheckFhir(errors, options.Fhir);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Webhooks.Count; i++)
        {
            var w = options.Webhooks[i];
            var key = string.Create(CultureInfo.InvariantCulture, $"{S}:Webhooks:{i}");
            if (string.IsNullOrWhiteSpace(w.Name) || w.Name.Any(c => c == ':' || char.IsWhiteSpace(c) || char.IsControl(c)) || !names.Add(w.Name))
            {
                errors.Add($"{key}:Name '{w.Name}' is empty, has a colon or a space, or is used twice");
            }

            if (!IsHttpUrl(w.Url))
            {
                errors.Add($"{key}:Url '{w.Url}' is not an http(s) URL");
            }

            if (string.IsNullOrEmpty(w.Secret))
            {
                errors.Add($"{key}:Secret is required (the HMAC-SHA256 key of the signature)");
            }

            Resilience(errors, key, w);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckFhir(List<string> errors, FhirOptions fhir)
    {
        const string K = WorklistOptions.Section + ":Fhir";
        if (!IsHttpUrl(fhir.BaseUrl))
        {
            errors.Add($"{K}:BaseUrl '{fhir.BaseUrl}' is not an http(s) URL");
        }

        if (fhir.OAuth.Enabled)
        {
            if (!string.IsNullOrEmpty(fhir.BearerToken))
            {
                errors.Add($"{K}: give BearerToken or OAuth, not both");
            }

            if (!IsHttpUrl(fhir.OAuth.TokenUrl))
            {
                errors.Add($"{K}:OAuth:TokenUrl '{fhir.OAuth.TokenUrl}' is not an http(s) URL");
            }

            if (string.IsNullOrEmpty(fhir.OAuth.ClientId) || string.IsNullOrEmpty(fhir.OAuth.ClientSecret))
            {
                errors.Add($"{K}:OAuth:ClientId and ClientSecret are required with a TokenUrl (RFC 6749 client credentials)");
            }
        }
        else if (!string.IsNullOrEmpty(fhir.OAuth.ClientId) || !string.IsNullOrEmpty(fhir.OAuth.ClientSecret))
        {
            errors.Add($"{K}:OAuth:TokenUrl is required with a ClientId or ClientSecret");
        }

        if (fhir.BearerToken.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add($"{K}:BearerToken has a space or a control character (RFC 6750 b64token)");
        }

        if (fhir.MaxResponseBytes is < 1024 or > 64 * 1024 * 1024)
        {
            errors.Add($"{K}:MaxResponseBytes must be between 1024 and 67108864");
        }

        Resilience(errors, K, fhir);
    }

    private static bool IsHttpUrl(string value) => Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https";

    private static void Resilience(List<string> errors, string key, ChannelResilienceOptions o)
    {
        if (o.AttemptTimeoutSeconds is < 1 or > 3600)
        {
            errors.Add($"{key}:AttemptTimeoutSeconds must be between 1 and 3600");
        }

        if (o.Retries is < 0 or > 20)
        {
            errors.Add($"{key}:Retries must be between 0 and 20");
        }

        if (o.RetryDelayMilliseconds is < 1 or > 600_000)
        {
            errors.Add($"{key}:RetryDelayMilliseconds must be between 1 and 600000");
        }

        if (o.BreakAfterFailures < 2)
        {
            errors.Add($"{key}:BreakAfterFailures must be at least 2");
        }

        if (o.BreakSeconds < 1)
        {
            errors.Add($"{key}:BreakSeconds must be at least 1");
        }
    }
}
