namespace MiniGptMed.DicomNode.Administration;

/// <summary>What a configuration change is about; the text is stored in <c>config_changes.kind</c>.</summary>
public enum ConfigKind
{
    Ae,
    Source,
    Destination,
    Rule,
}

public static class ConfigKinds
{
    public static string Text(this ConfigKind kind) => kind switch
    {
        ConfigKind.Ae => "ae",
        ConfigKind.Source => "source",
        ConfigKind.Destination => "destination",
        ConfigKind.Rule => "rule",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static ConfigKind Parse(string text) => text switch
    {
        "ae" => ConfigKind.Ae,
        "source" => ConfigKind.Source,
        "destination" => ConfigKind.Destination,
        "rule" => ConfigKind.Rule,
        _ => throw new FormatException($"'{text}' is not a configuration kind."),
    };
}
