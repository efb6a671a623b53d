using System.Data.Common;
using Microsoft.Extensions.Options;

namespace MiniGptMed.DicomNode.Database;

/// <summary>Checks <see cref="DatabaseOptions"/>; every failure names its configuration key.</summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        const string S = DatabaseOptions.Section;
        var errors = new List<string>();
        if (!DatabaseOptions.TryParseProvider(options.Provider, out var provider))
        {
            errors.Add($"{S}:Provider '{options.Provider}' is not Sqlite or PostgreSql.");
        }
        else if (provider == DatabaseProvider.PostgreSql && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"{S}:ConnectionString is empty; PostgreSql needs one (Host=...;Database=...;Username=...).");
        }

        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            try
            {
                _ = new DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{S}:ConnectionString is not a connection string: {ex.Message}");
            }
        }

        Range(errors, $"{S}:CommitBatchSize", options.CommitBatchSize, 1, 100_000);
        Range(errors, $"{S}:CommitDelayMilliseconds", options.CommitDelayMilliseconds, 0, 1000);
        Range(errors, $"{S}:WriteQueueCapacity", options.WriteQueueCapacity, 1, 1_000_000);
        Range(errors, $"{S}:BusyTimeoutMilliseconds", options.BusyTimeoutMilliseconds, 0, 600_000);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} is {value}; it must be {min}..{max}.");
        }
    }
}
