using System.Text.Json;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Json;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Json;

/// <summary>PS3.18 F.2.5: an empty value inside a multi-valued attribute is null, never "".</summary>
public sealed class DicomJsonEmptyValueTests
{
    [Fact]
    public void EmptyValueInAMultiValuedAttribute_IsNull()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, string.Empty, "ISO 2022 IR 87")
            .AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "DERIVED", string.Empty, "AXIAL")
            .AddOrUpdate(DicomTags.OtherPatientNames, DicomVR.PN, "A^B", string.Empty);

        using var json = JsonDocument.Parse(DicomJsonWriter.Write(ds));

        Assert.Equal("[null,\"ISO 2022 IR 87\"]", Values(json, "00080005"));
        Assert.Equal("[\"DERIVED\",null,\"AXIAL\"]", Values(json, "00080008"));
        Assert.Equal("[{\"Alphabetic\":\"A^B\"},null]", Values(json, "00101001"));
    }

    [Theory]
    [InlineData("chrH31.dcm")]
    [InlineData("chrI2.dcm")]
    [InlineData("chrJapMulti.dcm")]
    [InlineData("chrKoreanMulti.dcm")]
    public void PydicomCharsetFiles_SpecificCharacterSetValue1_IsNull(string name)
    {
        var file = DicomFile.Open(Path.Combine(TestPaths.PydicomCharsetFiles, name));

        using var json = JsonDocument.Parse(DicomJsonWriter.Write(file.Dataset));

        var first = json.RootElement.GetProperty("00080005").GetProperty("Value")[0];
        Assert.Equal(JsonValueKind.Null, first.ValueKind);
    }

    private static string Values(JsonDocument json, string key) =>
        json.RootElement.GetProperty(key).GetProperty("Value").GetRawText();
}
