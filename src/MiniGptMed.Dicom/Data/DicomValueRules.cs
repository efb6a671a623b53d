using System.Globalization;

namespace MiniGptMed.Dicom.Data;

/// <summary>
/// What a value must be to be written in a VR (PS3.5 6.2, Table 6.2-1) and how many values an
/// attribute takes (PS3.6 VM). The typed setters check every value here so that a value the VR
/// cannot hold is an error naming the tag, never a value cut short or written in a wrong form.
/// </summary>
internal static class DicomValueRules
{
    /// <summary>Checks text values (already split on '\') for <paramref name="vr"/>.</summary>
    public static void CheckText(DicomTag tag, DicomVR vr, IReadOnlyList<string> values)
    {
        CheckMultiplicity(tag, vr, values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (value.Length == 0)
            {
                // PS3.5 6.4: an empty value within a multi-valued attribute is allowed.
                continue;
            }

            CheckLength(tag, vr, value, i);
            CheckControlCharacters(tag, vr, value, i);
            if (Problem(vr, value) is { } problem)
            {
                throw Error(tag, vr, $"value {i + 1} {problem}");
            }
        }
    }

    /// <summary>PS3.6: the number of values against the dictionary's VM (unknown and private tags are not checked).</summary>
    public static void CheckMultiplicity(DicomTag tag, DicomVR vr, int count)
    {
        if (count == 0 || vr.Kind == DicomVRKind.Bulk || DicomDictionary.Find(tag) is not { } entry)
        {
            return;
        }

        var (min, max, step) = ParseMultiplicity(entry.ValueMultiplicity);
        if (count < min || count > max || (step > 1 && count % step != 0))
        {
            throw Error(tag, vr, $"{count} values given, but {entry.Keyword} takes VM {entry.ValueMultiplicity} (PS3.6)");
        }
    }

    /// <summary>"1" -> (1,1,1); "1-3" -> (1,3,1); "1-n" -> (1,max,1); "2-2n" -> (2,max,2).</summary>
    internal static (int Min, int Max, int Step) ParseMultiplicity(string vm)
    {
        var parts = vm.Split('-');
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min))
        {
            return (0, int.MaxValue, 1);
        }

        if (parts.Length == 1)
        {
            return (min, min, 1);
        }

        var upper = parts[1];
        if (upper.EndsWith('n'))
        {
            var step = upper.Length == 1 ? 1 : int.Parse(upper[..^1], CultureInfo.InvariantCulture);
            return (min, int.MaxValue, step);
        }

        return int.TryParse(upper, NumberStyles.None, CultureInfo.InvariantCulture, out var max) ? (min, max, 1) : (min, int.MaxValue, 1);
    }

    public static DicomDataException Error(DicomTag tag, DicomVR vr, string problem)
    {
        var name = DicomDictionary.Find(tag)?.Keyword is { Length: > 0 } keyword ? " " + keyword : string.Empty;
        return new DicomDataException($"{tag}{name} {vr.Code}: {problem}; nothing was written.", tag);
    }

    private static void CheckLength(DicomTag tag, DicomVR vr, string value, int index)
    {
        if (vr == DicomVR.PN)
        {
            // PS3.5 Table 6.2-1: 64 characters per component group.
            foreach (var group in value.Split('='))
            {
                if (group.Length > 64)
                {
                    throw Error(tag, vr, $"value {index + 1} has a component group of {group.Length} characters; PN allows 64 per group");
                }
            }

            return;
        }

        if (value.Length > vr.MaxLength)
        {
            throw Error(tag, vr, $"value {index + 1} has {value.Length} characters; {vr.Code} allows {vr.MaxLength} (PS3.5 Table 6.2-1)");
        }
    }

    private static void CheckControlCharacters(DicomTag tag, DicomVR vr, string value, int index)
    {
        // PS3.5 6.1.3 and Table 6.2-1: LT, ST and UT may hold CR, LF, FF and TAB; no VR takes other
        // control characters from a caller (ESC belongs to the encoder's ISO 2022 escape sequences).
        var textBlock = vr == DicomVR.LT || vr == DicomVR.ST || vr == DicomVR.UT;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if ((c < 0x20 || c == 0x7F) && !(textBlock && c is '\r' or '\n' or '\f' or '\t'))
            {
                throw Error(tag, vr, string.Create(CultureInfo.InvariantCulture,
                    $"value {index + 1} has control character U+{(int)c:X4} at index {i}, which {vr.Code} does not allow (PS3.5 6.1.3)"));
            }
        }
    }

    /// <summary>The form a VR requires (PS3.5 Table 6.2-1), or null when the value has it.</summary>
    private static string? Problem(DicomVR vr, string value) => vr.Code switch
    {
        "DA" => IsDate(value) ? null : "is not a date YYYYMMDD",
        "TM" => IsTime(value) ? null : "is not a time HHMMSS.FFFFFF",
        "DT" => IsDateTime(value) ? null : "is not a date time YYYYMMDDHHMMSS.FFFFFF&ZZXX",
        "IS" => IntegerProblem(value),
        "DS" => DecimalProblem(value),
        "AS" => value.Length == 4 && char.IsAsciiDigit(value[0]) && char.IsAsciiDigit(value[1]) && char.IsAsciiDigit(value[2]) && value[3] is 'D' or 'W' or 'M' or 'Y'
            ? null
            : "is not an age string nnnD, nnnW, nnnM or nnnY",
        "CS" => value.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c is ' ' or '_')
            ? null
            : "has characters CS does not allow (upper-case letters, digits, space and underscore only)",
        "UI" => value.All(c => char.IsAsciiDigit(c) || c == '.') ? null : "is not a UID (digits and '.' only, PS3.5 9.1)",
        _ => null,
    };

    private static bool IsDate(string value) =>
        value.Length == 8 && DateOnly.TryParseExact(value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static bool IsTime(string value)
    {
        // The parser accepts the ACR-NEMA form HH:MM:SS on read; a writer must not produce it.
        if (value.Contains(':', StringComparison.Ordinal) || value != value.Trim())
        {
            return false;
        }

        try
        {
            _ = DicomValueParser.ParseTime(value);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsDateTime(string value)
    {
        if (value != value.Trim() || value.Length < 4 || !value.All(c => char.IsAsciiDigit(c) || c is '.' or '+' or '-'))
        {
            return false;
        }

        try
        {
            _ = DicomValueParser.ParseDateTime(value);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string? IntegerProblem(string value)
    {
        var s = value.Trim(' ');
        if (s.Length == 0 || !long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return "is not an integer string";
        }

        // PS3.5 Table 6.2-1: IS is in -2^31 .. 2^31-1.
        return number is < int.MinValue or > int.MaxValue ? "is outside the IS range -2147483648 to 2147483647" : null;
    }

    private static string? DecimalProblem(string value)
    {
        var s = value.Trim(' ');
        if (s.Length == 0
            || !s.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or '.' or 'e' or 'E')
            || !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            || !double.IsFinite(number))
        {
            return "is not a decimal string";
        }

        return null;
    }
}
