using Microsoft.Extensions.Options;

namespace MiniGptMed.DicomNode.Administration;

/// <summary>How a node follows changes of the administrable configuration (section <c>Administration</c>).</summary>
public sealed class AdministrationOptions
{
    public const string Section = "Administration";

    /// <summary>
    /// How often the stored version is read (one row). Changes made in this process apply at once, and with PostgreSQL
    /// those of any other process too (LISTEN/NOTIFY); with SQLite another process's (the CLI beside the node) within
    /// this delay, as with PostgreSQL while the LISTEN connection is down.
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
