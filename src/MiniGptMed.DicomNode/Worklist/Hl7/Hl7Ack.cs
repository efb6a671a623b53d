namespace MiniGptMed.DicomNode.Worklist.Hl7;

/// <summary>
/// What the receiver answered (HL7 v2.5.1 2.9.2, original mode; MSA-1 from table 0008): AA accepted, AE error (the
/// receiver may take it later: retried), AR rejected (it will not: dead letter). The enhanced-mode commit codes CA,
/// CE, CR are read the same way.
/// </summary>
public sealed record Hl7Ack(string Code, string ControlId, string? Text)
{
    public bool Accepted => Code is "AA" or "CA";

    public bool Rejected => Code is "AR" or "CR";

    /// <summary>Reads MSA (and ERR's text when MSA-3 is empty) from an ACK; null when there is no MSA segment.</summary>
    public static Hl7Ack? Parse(string message)
    {
        var segments = message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var msh = segments.FirstOrDefault(s => s.StartsWith("MSH", StringComparison.Ordinal));
        var separator = msh is { Length: > 3 } ? msh[3] : '|';
        var msa = segments.FirstOrDefault(s => s.StartsWith("MSA" + separator, StringComparison.Ordinal));
        if (msa is null)
        {
            return null;
        }

        var fields = msa.Split(separator);
        string Field(int i) => i < fields.Length ? fields[i] : "";
        var text = Field(3);
        if (text.Length == 0 && segments.FirstOrDefault(s => s.StartsWith("ERR" + separator, StringComparison.Ordinal)) is { } err)
        {
            var errFields = err.Split(separator);
            text = errFields.Length > 8 ? errFields[8] : string.Join(separator, errFields.Skip(1));
        }

        return new Hl7Ack(Field(1).Trim(), Field(2).Trim(), text.Length == 0 ? null : text);
    }
}
