using System.Text.Json;
using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.Tests.Data;

/// <summary>
/// Every text value of pydicom's charset test files (raw bytes extracted by tools/gen_charset_golden.py)
/// decodes to what pydicom decodes it to.
/// </summary>
public class DicomCharacterSetGoldenTests
{
    public static TheoryData<string, string, string, string[], string, string> Cases()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "charset_golden.json")));
        var data = new TheoryData<string, string, string, string[], string, string>();
        foreach (var c in json.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(
                c.GetProperty("file").GetString()!,
                c.GetProperty("element").GetString()!,
                c.GetProperty("vr").GetString()!,
                c.GetProperty("specificCharacterSet").EnumerateArray().Select(v => v.GetString()!).ToArray(),
                c.GetProperty("raw").GetString()!,
                c.GetProperty("pydicom").GetString()!);
        }

        return data;
    }

    [Fact]
    public void GoldenFile_CoversTheExpectedCharsetFiles()
    {
        var files = Cases().Select(row => (string)row[0]).Distinct().ToList();

        Assert.Contains("chrH31.dcm", files);
        Assert.Contains("chrH32.dcm", files);
        Assert.Contains("chrI2.dcm", files);
        Assert.Contains("chrX2.dcm", files);
        Assert.True(files.Count >= 15, string.Join(", ", files));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decode_CharsetFileValue_MatchesPydicom(string file, string element, string vrCode, string[] specificCharacterSet, string rawHex, string expected)
    {
        var vr = DicomVR.Parse(vrCode);
        var charset = DicomCharacterSet.FromSpecificCharacterSet(specificCharacterSet);

        var decoded = charset.Decode(Convert.FromHexString(rawHex), vr, out var warning);

        Assert.Null(warning);
        Assert.Empty(charset.Warnings);
        Assert.True(expected == LikePydicom(decoded, vr), $"{file} {element}: expected '{expected}', decoded '{decoded}'");
    }

    // pydicom splits multi-valued text at '\', strips each value's trailing padding and, for PN,
    // drops trailing empty component groups ('='); it keeps everything else.
    private static string LikePydicom(string decoded, DicomVR vr)
    {
        var values = vr.IsMultiValueText ? decoded.Split('\\') : [decoded];
        return string.Join('\\', values.Select(v =>
        {
            v = v.TrimEnd(' ', '\0');
            return vr == DicomVR.PN ? v.TrimEnd('=') : v;
        }));
    }
}
