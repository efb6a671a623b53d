namespace MiniGptMed.Dicom.Data;

/// <summary>Splitting, trimming and joining of character string values (PS3.5 6.2 and 6.4).</summary>
public static class DicomText
{
    /// <summary>
    /// Splits a decoded value into its values: on '\' for multi-valued VRs (PS3.5 6.4), then removes
    /// the padding and the spaces the VR says are insignificant (PS3.5 Table 6.2-1).
    /// </summary>
    public static string[] SplitValues(string text, DicomVR vr)
    {
        if (text.Length == 0)
        {
            return [];
        }

        if (!vr.IsMultiValueText)
        {
            return [Trim(text, vr)];
        }

        var parts = text.Split('\\');
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = Trim(parts[i], vr);
        }

        return parts;
    }

    /// <summary>Removes trailing padding (space, or NUL for UI) and, where insignificant, leading spaces.</summary>
    public static string Trim(string value, DicomVR vr)
    {
        var end = value.Length;
        while (end > 0 && (value[end - 1] == ' ' || value[end - 1] == '\0'))
        {
            end--;
        }

        var start = 0;
        if (vr.TrimsLeadingSpaces)
        {
            while (start < end && value[start] == ' ')
            {
                start++;
            }
        }

        return start == 0 && end == value.Length ? value : value[start..end];
    }

    public static string JoinValues(IEnumerable<string> values) => string.Join('\\', values);
}
