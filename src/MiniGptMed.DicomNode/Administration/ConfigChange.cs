namespace MiniGptMed.DicomNode.Administration;

/// <summary>
/// One row of the configuration audit (<c>config_changes</c>): when, who (the OS user for the CLI, the authenticated
/// user for HTTP, <c>appsettings</c> for the first start's seed), what, and the item before and after as JSON
/// (null before an add and after a remove).
/// </summary>
public sealed record ConfigChange(
    long Id,
    DateTimeOffset At,
    string Actor,
    ConfigKind Kind,
    string Name,
    string Action,
    string? Before,
    string? After,
    long Version);

/// <summary>The actions of <see cref="ConfigChange.Action"/>.</summary>
public static class ConfigActions
{
    public const string Add = "add";
    public const string Update = "update";
    public const string Remove = "remove";
}
