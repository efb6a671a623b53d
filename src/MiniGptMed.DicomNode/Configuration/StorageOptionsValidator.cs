using Microsoft.Extensions.Options;

namespace MiniGptMed.DicomNode.Configuration;

/// <summary>Checks <see cref="StorageOptions"/>; every failure names its configuration key.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add($"{StorageOptions.Section}:DataDirectory is empty.");
        }
        else if (options.DataDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            errors.Add($"{StorageOptions.Section}:DataDirectory '{options.DataDirectory}' is not a path.");
        }

        if (options.MinimumFreeMegabytes < 0)
        {
            errors.Add($"{StorageOptions.Section}:MinimumFreeMegabytes is {options.MinimumFreeMegabytes}; it must be 0 or more.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
