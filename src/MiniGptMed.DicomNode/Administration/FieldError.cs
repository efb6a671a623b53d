namespace MiniGptMed.DicomNode.Administration;

/// <summary>
/// What is wrong with one field of a submitted item. <see cref="Field"/> is the camelCase property name as the JSON
/// and the REST API spell it (<c>aeTitle</c>, <c>addresses[1]</c>); the CLI shows it as its option (<c>--ae-title</c>).
/// </summary>
public sealed record FieldError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
