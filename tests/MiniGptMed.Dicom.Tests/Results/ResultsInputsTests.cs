using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Results;

/// <summary>The result writers' source images are valid instances (dciodvfy) of the kinds they claim to be.</summary>
public sealed class ResultsInputsTests
{
    public static TheoryData<string> Names() => [.. ResultsInputs.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Input_IsAcceptedByDciodvfy_WithoutErrorsOrWarnings(string name)
    {
        var inputs = await ResultsInputs.GetAsync();

        var result = await ExternalProcess.RunAsync("dciodvfy", [inputs[name]]);

        var problems = (result.StandardOutput + result.StandardError).Split('\n')
            .Where(line => line.StartsWith("Error", StringComparison.Ordinal) || line.StartsWith("Warning", StringComparison.Ordinal))
            .ToList();
        Assert.True(problems.Count == 0, $"{name}: dciodvfy reports\n{string.Join("\n", problems)}");
    }

    [Fact]
    public async Task Inputs_HaveTheMatrixPhotometryAndEncodingTheyAreNamedFor()
    {
        var inputs = await ResultsInputs.GetAsync();

        var mono2 = DicomFile.Open(inputs.DxMonochrome2).Dataset;
        var mono1 = DicomFile.Open(inputs.DxMonochrome1).Dataset;
        var ct = DicomFile.Open(inputs.CtSigned).Dataset;
        var frames = DicomFile.Open(inputs.MultiFrame).Dataset;
        var us = DicomFile.Open(inputs.UltrasoundJpeg);
        var wide = DicomFile.Open(inputs.NonSquare).Dataset;

        Assert.Equal((3000, 2500, 12), (mono2.GetValue<int>(DicomTags.Rows), mono2.GetValue<int>(DicomTags.Columns), mono2.GetValue<int>(DicomTags.BitsStored)));
        Assert.Equal("CHEST", mono2.GetString(DicomTags.BodyPartExamined));
        Assert.Equal("PA", mono2.GetString(DicomTags.ViewPosition));
        Assert.NotNull(mono2.GetSequence(DicomTags.ProcedureCodeSequence));
        Assert.Equal("MONOCHROME1", mono1.GetString(DicomTags.PhotometricInterpretation));
        Assert.Equal(1, ct.GetValue<int>(DicomTags.PixelRepresentation));
        Assert.Equal(-1024.0, ct.GetValue<double>(DicomTags.RescaleIntercept));
        Assert.Equal(6, ct.GetValues<double>(DicomTags.ImageOrientationPatient).Length);
        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", ct.GetString(DicomTags.PatientName));
        Assert.Equal(["", "ISO 2022 IR 87"], ct.GetStrings(DicomTags.SpecificCharacterSet));
        Assert.Equal(3, frames.GetValue<int>(DicomTags.NumberOfFrames));
        Assert.Equal("YBR_FULL_422", us.Dataset.GetString(DicomTags.PhotometricInterpretation));
        Assert.Equal(DicomUid.JPEGBaseline8Bit.Value, us.TransferSyntax.Uid);
        Assert.Equal("US", us.Dataset.GetString(DicomTags.Modality));
        Assert.Equal((400, 640), (wide.GetValue<int>(DicomTags.Rows), wide.GetValue<int>(DicomTags.Columns)));
        Assert.Equal([0.5, 0.8], wide.GetValues<double>(DicomTags.PixelSpacing));
    }
}
