using Microsoft.Extensions.Options;
using MiniGptMed.Dicom.Network;

namespace MiniGptMed.DicomNode.Assembly;

/// <summary>Checks <see cref="AssemblyOptions"/>; every failure names its configuration key.</summary>
public sealed class AssemblyOptionsValidator : IValidateOptions<AssemblyOptions>
{
    public ValidateOptionsResult Validate(string? name, AssemblyOptions options)
    {
        const string S = AssemblyOptions.Section;
        var errors = new List<string>();
        Check(errors, $"{S}:StableSeconds", options.StableSeconds, options.MaxWaitSeconds);
        Range(errors, $"{S}:MaxWaitSeconds", options.MaxWaitSeconds, 1, 7 * 86400);
        Range(errors, $"{S}:PollMilliseconds", options.PollMilliseconds, 10, 60_000);
        foreach (var (ae, overrides) in options.AeTitles)
        {
            var key = $"{S}:AeTitles:{ae}";
            if (!AeTitle.IsValid(ae))
            {
                errors.Add($"{key}: '{ae}' is not an AE title (1-16 characters, no backslash or control characters).");
            }

            var effective = options.For(ae);
            if (overrides.StableSeconds is not null || overrides.MaxWaitSeconds is not null)
            {
                Check(errors, $"{key}:StableSeconds", (int)effective.StableAfter.TotalSeconds, (int)effective.MaxWait.TotalSeconds);
            }

            if (overrides.MaxWaitSeconds is { } maxWait)
            {
                Range(errors, $"{key}:MaxWaitSeconds", maxWait, 1, 7 * 86400);
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(List<string> errors, string key, int stable, int maxWait)
    {
        Range(errors, key, stable, 1, 86400);
        if (stable > maxWait)
        {
            errors.Add($"{key} is {stable}, more than the maximum wait {maxWait}: the group would always be taken by the maximum wait.");
        }
    }

    private static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} is {value}; it must be between {min} and {max}.");
        }
    }
}
