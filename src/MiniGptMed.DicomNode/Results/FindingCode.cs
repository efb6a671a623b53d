namespace MiniGptMed.DicomNode.Results;

/// <summary>A coded concept (PS3.3 Table 8.8-1 Code Sequence Macro): value, scheme designator, meaning.</summary>
internal sealed record FindingCode(string Value, string Scheme, string Meaning)
{
    public bool IsPrivate => Scheme == FindingCodes.PrivateScheme;

    public override string ToString() => $"({Value}, {Scheme}, \"{Meaning}\")";
}
