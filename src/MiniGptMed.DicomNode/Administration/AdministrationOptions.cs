using Microsoft.Extensions.Options;

namespace MiniGptMed.DicomNode.Administration;

/// <summary>How a node follows changes of the administrable configuration (section <c>Administration</c>).</summary>
public sealed class AdministrationOptions
{
    public const string Section = "Administration";

    /// <summary>
    /// How often the stored version is read (one row). Changes made in this process apply at once; those of another
    /// process (the CLI beside a SQLite node, another node of a PostgreSQL cluster) within this delay.
    /// </summary>
    public int PollMilliseconds { get; set; } = 1000;
}

/// <summary>Checks <see cref="AdministrationOptions"/>; the failure names its key.</summary>
public sealed class AdministrationOptionsValidator : IValidateOptions<AdministrationOptions>
{
    public ValidateOptionsResult Validate(string? name, AdministrationOptions options) =>
        options.PollMilliseconds is < 50 or > 600_000
            ? ValidateOptionsResult.Fail($"{AdministrationOptions.Section}:PollMilliseconds is {options.PollMilliseconds}; it must be between 50 and 600000.")
            : ValidateOptionsResult.Success;
}
