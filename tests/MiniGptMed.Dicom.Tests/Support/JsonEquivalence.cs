using System.Globalization;
using System.Text.Json;

namespace MiniGptMed.Dicom.Tests.Support;

/// <summary>
/// Compares two DICOM JSON documents by meaning: numbers as numbers (relative 1e-9), strings without
/// trailing padding, an empty string equal to null, and element keys that may be ignored.
/// </summary>
public static class JsonEquivalence
{
    /// <param name="expectedIsBigEndian">
    /// The expected side came from a big endian file and shows binary values as stored (pydicom does);
    /// ours are little endian, as PS3.18 8.7.3 wants bulk data, so the expected words are swapped first.
    /// </param>
    /// <param name="binaryVRsEquivalent">OB, OW and UN are the same when their bytes are.</param>
    public static List<string> Differences(JsonElement expected, JsonElement actual, Func<string, bool>? ignoreKey = null, bool expectedIsBigEndian = false, bool binaryVRsEquivalent = false) =>
        Differences(expected, actual, ignoreKey, expectedIsBigEndian ? BigEndianSide.Expected : BigEndianSide.None, binaryVRsEquivalent);

    public enum BigEndianSide
    {
        None,
        Expected,
        Actual,
    }

    /// <param name="bigEndianSide">Which side (alone) came from a big endian file, whose words pydicom shows as stored.</param>
    public static List<string> Differences(JsonElement expected, JsonElement actual, Func<string, bool>? ignoreKey, BigEndianSide bigEndianSide, bool binaryVRsEquivalent)
    {
        var differences = new List<string>();
        _bigEndianSide = bigEndianSide;
        _swapExpected = bigEndianSide != BigEndianSide.None;
        _binaryEquivalent = binaryVRsEquivalent;
        CompareDataset(expected, actual, "$", ignoreKey ?? (_ => false), differences);
        return differences;
    }

    [ThreadStatic]
    private static bool _swapExpected;

    [ThreadStatic]
    private static bool _binaryEquivalent;

    [ThreadStatic]
    private static BigEndianSide _bigEndianSide;

    private static bool IsByteVR(string? vr) => vr is "OB" or "OW" or "UN";

    /// <summary>An odd-length value and the same value padded to even length (PS3.5 7.1.1) by a writer.</summary>
    private static bool DiffersByPadding(string? expected, string? actual)
    {
        if (expected is null || actual is null)
        {
            return false;
        }

        var e = Convert.FromBase64String(expected);
        var a = Convert.FromBase64String(actual);
        return (e.Length & 1) == 1 && a.Length == e.Length + 1 && a.AsSpan(0, e.Length).SequenceEqual(e) && a[^1] is 0x00 or 0x20;
    }

    private static bool IsPrivateDataElement(string path)
    {
        var key = path[(path.LastIndexOf('.') + 1)..];
        var group = Convert.ToUInt16(key[..4], 16);
        var element = Convert.ToUInt16(key[4..8], 16);
        return (group & 1) == 1 && element >= 0x1000;
    }

    /// <summary>The little endian bytes of a JSON element's value: text joined by '\', binary numbers, or InlineBinary.</summary>
    private static byte[] ValueBytes(JsonElement element, string vr)
    {
        if (element.TryGetProperty("InlineBinary", out var binary))
        {
            return Convert.FromBase64String(binary.GetString()!);
        }

        if (!element.TryGetProperty("Value", out var values))
        {
            return [];
        }

        var items = values.EnumerateArray().ToList();
        return vr switch
        {
            "US" => [.. items.SelectMany(v => BitConverter.GetBytes(v.GetUInt16()))],
            "SS" => [.. items.SelectMany(v => BitConverter.GetBytes(v.GetInt16()))],
            "UL" => [.. items.SelectMany(v => BitConverter.GetBytes(v.GetUInt32()))],
            "SL" => [.. items.SelectMany(v => BitConverter.GetBytes(v.GetInt32()))],
            "FL" => [.. items.SelectMany(v => BitConverter.GetBytes(v.GetSingle()))],
            "FD" => [.. items.SelectMany(v => BitConverter.GetBytes(v.GetDouble()))],
            _ => System.Text.Encoding.Latin1.GetBytes(string.Join('\\', items.Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()))),
        };
    }

    private static int Unit(string? vr) => vr switch { "OW" => 2, "OF" or "OL" => 4, "OD" or "OV" => 8, _ => 1 };

    private static string? SwapBinary(string? base64, string vr)
    {
        var unit = Unit(vr);
        if (base64 is null || unit == 1 || !_swapExpected)
        {
            return base64;
        }

        var bytes = Convert.FromBase64String(base64);
        for (var i = 0; i + unit <= bytes.Length; i += unit)
        {
            Array.Reverse(bytes, i, unit);
        }

        return Convert.ToBase64String(bytes);
    }

    private static void CompareDataset(JsonElement expected, JsonElement actual, string path, Func<string, bool> ignore, List<string> differences)
    {
        var e = expected.EnumerateObject().Where(p => !ignore(p.Name)).ToDictionary(p => p.Name, p => p.Value);
        var a = actual.EnumerateObject().Where(p => !ignore(p.Name)).ToDictionary(p => p.Name, p => p.Value);
        foreach (var key in e.Keys.Except(a.Keys))
        {
            differences.Add($"{path}.{key}: missing from ours");
        }

        foreach (var key in a.Keys.Except(e.Keys))
        {
            differences.Add($"{path}.{key}: only in ours");
        }

        foreach (var key in e.Keys.Intersect(a.Keys))
        {
            CompareElement(e[key], a[key], $"{path}.{key}", ignore, differences);
        }
    }

    private static void CompareElement(JsonElement expected, JsonElement actual, string path, Func<string, bool> ignore, List<string> differences)
    {
        var vr = expected.GetProperty("vr").GetString();
        var ourVr = actual.GetProperty("vr").GetString();
        if (_binaryEquivalent && vr != ourVr && (vr == "UN" || ourVr == "UN") && IsPrivateDataElement(path))
        {
            // Implicit VR loses the VR of a private element no dictionary knows (PS3.5 A.1): it comes
            // back as UN. Its bytes must still be the same.
            var expectedBytes = ValueBytes(expected, vr!);
            var actualBytes = ValueBytes(actual, ourVr!);
            if (!expectedBytes.AsSpan().TrimEnd((byte)0x20).TrimEnd((byte)0).SequenceEqual(actualBytes.AsSpan().TrimEnd((byte)0x20).TrimEnd((byte)0)))
            {
                differences.Add($"{path}: private {vr} and {ourVr} values have different bytes");
            }

            return;
        }

        if (vr != ourVr && !(_binaryEquivalent && IsByteVR(vr) && IsByteVR(ourVr)))
        {
            differences.Add($"{path}: vr {vr} != ours {ourVr}");
            return;
        }

        // Words were swapped on disk by the unit of the VR they had in the big endian file.
        var unitVr = _bigEndianSide == BigEndianSide.Actual ? ourVr! : vr!;
        var expectedBinary = SwapBinary(expected.TryGetProperty("InlineBinary", out var eb) ? eb.GetString() : null, unitVr);
        var actualBinary = actual.TryGetProperty("InlineBinary", out var ab) ? ab.GetString() : null;
        if (!string.Equals(expectedBinary, actualBinary, StringComparison.Ordinal) && !(_binaryEquivalent && DiffersByPadding(expectedBinary, actualBinary)))
        {
            differences.Add($"{path}: InlineBinary differs ({expectedBinary?.Length} vs {actualBinary?.Length} chars)");
        }

        var e = expected.TryGetProperty("Value", out var ev) ? ev.EnumerateArray().ToList() : [];
        var a = actual.TryGetProperty("Value", out var av) ? av.EnumerateArray().ToList() : [];
        if (vr == "SQ")
        {
            if (e.Count != a.Count)
            {
                differences.Add($"{path}: {e.Count} items != ours {a.Count}");
                return;
            }

            for (var i = 0; i < e.Count; i++)
            {
                CompareDataset(e[i], a[i], $"{path}[{i}]", ignore, differences);
            }

            return;
        }

        // Trailing empty values are the same as none (a value of "" is VM 0 in pydicom's view).
        while (e.Count > 0 && IsEmpty(e[^1]) && e.Count > a.Count)
        {
            e.RemoveAt(e.Count - 1);
        }

        while (a.Count > 0 && IsEmpty(a[^1]) && a.Count > e.Count)
        {
            a.RemoveAt(a.Count - 1);
        }

        if (e.Count != a.Count)
        {
            differences.Add($"{path}: {e.Count} values != ours {a.Count} ({Show(e)} vs {Show(a)})");
            return;
        }

        for (var i = 0; i < e.Count; i++)
        {
            if (!ValueEquals(e[i], a[i]))
            {
                differences.Add($"{path}[{i}]: {e[i].GetRawText()} != ours {a[i].GetRawText()}");
            }
        }
    }

    private static string Show(List<JsonElement> values) => "[" + string.Join(",", values.Select(v => v.GetRawText())) + "]";

    private static bool IsEmpty(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null || (value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length == 0);

    private static bool ValueEquals(JsonElement e, JsonElement a)
    {
        if (e.ValueKind == JsonValueKind.Null || a.ValueKind == JsonValueKind.Null)
        {
            // PS3.18 F.2.5: an empty value is null, never "", so the two are different answers.
            return e.ValueKind == a.ValueKind;
        }

        if (e.ValueKind == JsonValueKind.Object && a.ValueKind == JsonValueKind.Object)
        {
            string Group(JsonElement x, string name) => x.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!.TrimEnd() : string.Empty;
            return new[] { "Alphabetic", "Ideographic", "Phonetic" }.All(n => Group(e, n) == Group(a, n));
        }

        if (TryNumber(e, out var en) && TryNumber(a, out var an))
        {
            return en == an || Math.Abs(en - an) <= 1e-9 * Math.Max(Math.Abs(en), Math.Abs(an));
        }

        if (e.ValueKind == JsonValueKind.String && a.ValueKind == JsonValueKind.String)
        {
            return string.Equals(e.GetString()!.TrimEnd(' ', '\0'), a.GetString()!.TrimEnd(' ', '\0'), StringComparison.Ordinal);
        }

        return false;
    }

    private static bool TryNumber(JsonElement value, out double number)
    {
        number = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDouble(out number),
            JsonValueKind.String => double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number),
            _ => false,
        };
    }
}
