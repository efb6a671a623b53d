using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.StructuredReport;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Composition;

public sealed class DerivedObjectHeaderTests
{
    private static DerivedObjectIdentity Identity => ReportFixture.Identity("AI-generated, not verified");

    [Fact]
    public void Create_FromAsciiSource_JoinsTheStudyInANewSeriesWithoutCharacterSet()
    {
        var source = SourceImages.CtSlice();
        var identity = Identity;

        var header = DerivedObjectHeader.Create(source, identity, ReportFixture.Device, ReportFixture.CreatedAt);

        Assert.False(header.Contains(DicomTags.SpecificCharacterSet));
        Assert.Equal("Doe^Jane", header.GetString(DicomTags.PatientName));
        Assert.Equal("PID-7", header.GetString(DicomTags.PatientID));
        Assert.Equal("19700101", header.GetString(DicomTags.PatientBirthDate));
        Assert.Equal("F", header.GetString(DicomTags.PatientSex));
        Assert.Equal(source.GetString(DicomTags.StudyInstanceUID), header.GetString(DicomTags.StudyInstanceUID));
        Assert.Equal("ACC-42", header.GetString(DicomTags.AccessionNumber));
        Assert.Equal("Who^Doctor", header.GetString(DicomTags.ReferringPhysicianName));
        Assert.Equal(identity.SeriesInstanceUid, header.GetString(DicomTags.SeriesInstanceUID));
        Assert.NotEqual(source.GetString(DicomTags.SeriesInstanceUID), header.GetString(DicomTags.SeriesInstanceUID));
        Assert.Equal("SR", header.GetString(DicomTags.Modality));
        Assert.Equal("9001", header.GetString(DicomTags.SeriesNumber));
        Assert.Equal("MiniGPT-Med project", header.GetString(DicomTags.Manufacturer));
        Assert.Equal("MiniGPT-Med DICOM node", header.GetString(DicomTags.ManufacturerModelName));
        Assert.Equal("SN-0001", header.GetString(DicomTags.DeviceSerialNumber));
        Assert.Equal("0.1.0", header.GetString(DicomTags.SoftwareVersions));
        Assert.Equal(identity.SopInstanceUid, header.GetString(DicomTags.SOPInstanceUID));
    }

    [Fact]
    public void Create_WritesDatesAndTimesInPs35FormatWithTheOffset()
    {
        var header = DerivedObjectHeader.Create(SourceImages.CtSlice(), Identity, ReportFixture.Device, ReportFixture.CreatedAt);

        Assert.Equal("20260102", header.GetString(DicomTags.InstanceCreationDate));
        Assert.Equal("130507", header.GetString(DicomTags.InstanceCreationTime));
        Assert.Equal("20260102", header.GetString(DicomTags.SeriesDate));
        Assert.Equal("+0100", header.GetString(DicomTags.TimezoneOffsetFromUTC));
    }

    [Fact]
    public void Create_WithSourceMissingType2Attributes_WritesThemEmpty()
    {
        var source = new DicomDataset();
        source.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, "1.2.3.4");

        var header = DerivedObjectHeader.Create(source, Identity, ReportFixture.Device, ReportFixture.CreatedAt);

        foreach (var tag in new[] { DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientBirthDate, DicomTags.PatientSex, DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.ReferringPhysicianName, DicomTags.StudyID, DicomTags.AccessionNumber })
        {
            Assert.True(header.Contains(tag), $"{tag} is Type 2 and must be present");
            Assert.Equal(string.Empty, header.GetString(tag));
        }
    }

    [Fact]
    public async Task Create_FromJapaneseNameInIso2022Ir87_WritesTheSameNameInIsoIr192()
    {
        var source = SourceImages.JapaneseNameInIso2022Ir87();

        var header = DerivedObjectHeader.Create(source, Identity, ReportFixture.Device, ReportFixture.CreatedAt);

        Assert.Equal("ISO_IR 192", header.GetString(DicomTags.SpecificCharacterSet));
        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", header.GetString(DicomTags.PatientName));

        // pydicom, decoding on its own, reads the same characters.
        using var temp = new TempDirectory();
        var path = temp.File("header.dcm");
        Save(header, path);
        var oracle = await PydicomOracle.ReadAsync([path]);
        Assert.Equal("ok", oracle.Status(path));
        var name = oracle.Json(path).GetProperty("00100010").GetProperty("Value")[0];
        Assert.Equal("Yamada^Tarou", name.GetProperty("Alphabetic").GetString());
        Assert.Equal("山田^太郎", name.GetProperty("Ideographic").GetString());
        Assert.Equal("やまだ^たろう", name.GetProperty("Phonetic").GetString());
    }

    [Fact]
    public void Create_FromLatin1Source_TranscodesTheNameToUtf8()
    {
        var source = SourceImages.CtSlice("ISO_IR 100", "Müller^Jürgen");
        Assert.Equal(0xFC, ((DicomValueElement)source.GetElement(DicomTags.PatientName)!).Buffer.GetMemory().Span[1]);

        var header = DerivedObjectHeader.Create(source, Identity, ReportFixture.Device, ReportFixture.CreatedAt);

        Assert.Equal("ISO_IR 192", header.GetString(DicomTags.SpecificCharacterSet));
        Assert.Equal("Müller^Jürgen", header.GetString(DicomTags.PatientName));
        var bytes = ((DicomValueElement)header.GetElement(DicomTags.PatientName)!).Buffer.GetMemory().ToArray();
        Assert.Equal("Müller^Jürgen", System.Text.Encoding.UTF8.GetString(bytes).TrimEnd(' '));
    }

    [Fact]
    public void Create_CopiesSequencesWithTheirTextTranscoded()
    {
        var source = SourceImages.CtSlice("ISO_IR 100");
        var code = new DicomDataset();
        source.AddOrUpdate(new DicomSequence(DicomTags.ProcedureCodeSequence, [code]));
        code.AddOrUpdate(DicomTags.CodeValue, DicomVR.SH, "X1");
        code.AddOrUpdate(DicomTags.CodingSchemeDesignator, DicomVR.SH, "99LOCAL");
        code.AddOrUpdate(DicomTags.CodeMeaning, DicomVR.LO, "Thorax röntgen");

        var header = DerivedObjectHeader.Create(source, Identity, ReportFixture.Device, ReportFixture.CreatedAt);

        var copied = header.GetSequence(DicomTags.ProcedureCodeSequence)!.Items.Single();
        Assert.Equal("Thorax röntgen", copied.GetString(DicomTags.CodeMeaning));
        Assert.Same(header, copied.Parent);
        Assert.NotSame(code, copied);
    }

    [Fact]
    public void Create_WithoutStudyInstanceUid_SaysSo()
    {
        var source = new DicomDataset();

        var error = Assert.Throws<ArgumentException>(() => DerivedObjectHeader.Create(source, Identity, ReportFixture.Device, ReportFixture.CreatedAt));

        Assert.Contains("Study Instance UID", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithManufacturerLongerThanAnLO_NamesTheField()
    {
        var device = ReportFixture.Device with { Manufacturer = new string('M', 65) };

        var error = Assert.Throws<ArgumentException>(() => DerivedObjectHeader.Create(SourceImages.CtSlice(), Identity, device, ReportFixture.CreatedAt));

        Assert.Contains("Manufacturer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithInvalidSeriesUid_NamesTheField()
    {
        var identity = Identity with { SeriesInstanceUid = "1.02.3" };

        var error = Assert.Throws<ArgumentException>(() => DerivedObjectHeader.Create(SourceImages.CtSlice(), identity, ReportFixture.Device, ReportFixture.CreatedAt));

        Assert.Contains("SeriesInstanceUid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureCharacterSetFor_GermanText_DeclaresIsoIr192AndKeepsAsciiValues()
    {
        var header = DerivedObjectHeader.Create(SourceImages.CtSlice(), Identity, ReportFixture.Device, ReportFixture.CreatedAt);
        Assert.False(header.Contains(DicomTags.SpecificCharacterSet));

        DerivedObjectHeader.EnsureCharacterSetFor(header, ["Kein Hinweis auf Ödem"]);

        Assert.Equal("ISO_IR 192", header.GetString(DicomTags.SpecificCharacterSet));
        Assert.Equal("Doe^Jane", header.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void EnsureCharacterSetFor_AsciiText_LeavesTheHeaderAlone()
    {
        var header = DerivedObjectHeader.Create(SourceImages.CtSlice(), Identity, ReportFixture.Device, ReportFixture.CreatedAt);

        DerivedObjectHeader.EnsureCharacterSetFor(header, ["No acute findings."]);

        Assert.False(header.Contains(DicomTags.SpecificCharacterSet));
    }

    private static void Save(DicomDataset dataset, string path)
    {
        var syntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        new DicomFile(DicomFileWriter.BuildFileMetaInformation(dataset, syntax), dataset, syntax).Save(path);
    }
}
