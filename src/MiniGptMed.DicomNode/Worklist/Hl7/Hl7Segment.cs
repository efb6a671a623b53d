namespace MiniGptMed.DicomNode.Worklist.Hl7;

/// <summary>
/// One segment under construction: fields by their HL7 sequence number (MSH-1 is the field separator itself, so
/// MSH fields are placed from 3 on). Values are given already composed with <see cref="Hl7Segment.Components"/>,
/// whose parts are escaped; a segment ends with CR (2.6.1), and trailing empty fields are left out.
/// </summary>
public sealed class Hl7Segment(string id)
{
    private readonly SortedDictionary<int, string> _fields = [];

    public string Id { get; } = id;

    /// <summary>Sets field <paramref name="sequence"/> to an escaped, composed value.</summary>
    public Hl7Segment Field(int sequence, string? composed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        if (!string.IsNullOrEmpty(composed))
        {
            _fields[sequence] = composed;
        }

        return this;
    }

    /// <summary>Sets a field to one plain text value, escaped.</summary>
    public Hl7Segment Text(int sequence, string? value, bool formattedText = false) => Field(sequence, Hl7Escaping.Escape(value, formattedText));

    /// <summary>Components joined by <c>^</c>, each escaped; trailing empty ones dropped.</summary>
    public static string Components(params string?[] parts)
    {
        var escaped = parts.Select(p => Hl7Escaping.Escape(p)).ToList();
        while (escaped.Count > 0 && escaped[^1].Length == 0)
        {
            escaped.RemoveAt(escaped.Count - 1);
        }

        return string.Join('^', escaped);
    }

    public string Encode()
    {
        var last = _fields.Count == 0 ? 0 : _fields.Keys.Max();
        var parts = new List<string> { Id };
        if (Id == "MSH")
        {
            // MSH-1 is the separator that follows "MSH"; MSH-2 the encoding characters (2.15.9.1, 2.15.9.2).
            parts.Add(@"^~\&");
            for (var i = 3; i <= last; i++)
            {
                parts.Add(_fields.GetValueOrDefault(i, ""));
            }
        }
        else
        {
            for (var i = 1; i <= last; i++)
            {
                parts.Add(_fields.GetValueOrDefault(i, ""));
            }
        }

        return string.Join('|', parts);
    }
}
