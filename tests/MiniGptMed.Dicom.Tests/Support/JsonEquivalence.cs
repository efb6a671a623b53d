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
    public static List<string> Differences(JsonElement expected, JsonElement actual, Func<string, bool>? ignoreKey = null, bool expectedIsBigEndian = false)
    {
        var differences = new List<string>();
        _swapExpected = expectedIsBigEndian;
        CompareDataset(expected, actual, "$", ignoreKey ?? (_ => false), differences);
        return differences;
    }

    [ThreadStatic]
    private static bool _swapExpected;

    private static string? SwapBinary(string? base64, string vr)
    {
        var unit = vr switch { "OW" => 2, "OF" or "OL" => 4, "OD" or "OV" => 8, _ => 1 };
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
        if (vr != ourVr)
        {
            differences.Add($"{path}: vr {vr} != ours {ourVr}");
            return;
        }

        var expectedBinary = SwapBinary(expected.TryGetProperty("InlineBinary", out var eb) ? eb.GetString() : null, vr!);
        var actualBinary = actual.TryGetProperty("InlineBinary", out var ab) ? ab.GetString() : null;
        if (!string.Equals(expectedBinary, actualBinary, StringComparison.Ordinal))
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
        if (IsEmpty(e) && IsEmpty(a))
        {
            return true;
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
