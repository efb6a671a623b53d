using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;

namespace MiniGptMed.Dicom.Tests.Data;

public sealed class DicomDatasetTests
{
    [Fact]
    public void AddOrUpdate_OutOfOrder_KeepsElementsSortedByTag_AndReplacesSameTag()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "B")
            .AddOrUpdate(DicomTags.Modality, DicomVR.CS, "CT")
            .AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "A^B")
            .AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "C");
        Assert.Equal([DicomTags.Modality, DicomTags.PatientName, DicomTags.PatientID], ds.Select(e => e.Tag));
        Assert.Equal("C", ds.GetString(DicomTags.PatientID));
    }

    [Fact]
    public void TextValues_ArePaddedToEvenLength_WithTheVRsPaddingByte()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.Modality, DicomVR.CS, "MRI")
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3");
        Assert.Equal("MRI "u8.ToArray(), Raw(ds, DicomTags.Modality));
        Assert.Equal("1.2.3\0"u8.ToArray(), Raw(ds, DicomTags.SOPInstanceUID));
        Assert.Equal("MRI", ds.GetString(DicomTags.Modality));
        Assert.Equal("1.2.3", ds.GetString(DicomTags.SOPInstanceUID));
    }

    [Fact]
    public void MultiValuedText_SplitsOnBackslash_AndTrimsInsignificantSpaces()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.ImageType, DicomVR.CS, " ORIGINAL", "PRIMARY ", "AXIAL");
        Assert.Equal(["ORIGINAL", "PRIMARY", "AXIAL"], ds.GetStrings(DicomTags.ImageType));

        // PS3.5 6.4: LT is single-valued, a backslash is text, and leading spaces are kept.
        ds.AddOrUpdate(DicomTags.ImageComments, DicomVR.LT, @"  a\b ");
        Assert.Equal([@"  a\b"], ds.GetStrings(DicomTags.ImageComments));
    }

    [Fact]
    public void Numbers_FromBinaryAndTextVRs_ConvertToTheTypeAskedFor()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)512)
            .AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, 0.5, 0.25)
            .AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, 42)
            .AddOrUpdate(DicomTags.SmallestImagePixelValue, DicomVR.SS, (short)-2000)
            .AddOrUpdate(DicomTags.FrameIncrementPointer, DicomVR.AT, DicomTags.FrameTime);
        Assert.Equal(512, ds.GetValue<int>(DicomTags.Rows));
        Assert.Equal(512.0, ds.GetValue<double>(DicomTags.Rows));
        Assert.Equal([0.5, 0.25], ds.GetValues<double>(DicomTags.PixelSpacing));
        Assert.Equal(0.25m, ds.GetValue<decimal>(DicomTags.PixelSpacing, 1));
        Assert.Equal(42L, ds.GetValue<long>(DicomTags.InstanceNumber));
        Assert.Equal(-2000, ds.GetValue<int>(DicomTags.SmallestImagePixelValue));
        Assert.Equal(DicomTags.FrameTime, ds.GetValue<DicomTag>(DicomTags.FrameIncrementPointer));
        Assert.Equal("00181063", ds.GetString(DicomTags.FrameIncrementPointer));
    }

    [Fact]
    public void TryGetValue_MissingOrUnparsable_IsFalse_GetValueSaysWhy()
    {
        // A bad value as read from a file: the raw element path, which the checked setters refuse.
        var ds = new DicomDataset().AddOrUpdate(RawText(DicomTags.InstanceNumber, DicomVR.IS, "1A"));
        Assert.False(ds.TryGetValue<int>(DicomTags.InstanceNumber, out _));
        Assert.False(ds.TryGetValue<int>(DicomTags.Rows, out _));
        Assert.Equal(7, ds.GetValueOrDefault(DicomTags.Rows, 7));
        var ex = Assert.Throws<DicomDataException>(() => ds.GetValue<int>(DicomTags.Rows));
        Assert.Contains("(0028,0010) is not in the data set", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DatesAndTimes_ParseThePS35Forms()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, "20261128")
            .AddOrUpdate(DicomTags.StudyTime, DicomVR.TM, "101502.25")
            .AddOrUpdate(DicomTags.AcquisitionDateTime, DicomVR.DT, "20261128101502.5+0100")
            .AddOrUpdate(RawText(DicomTags.PatientBirthDate, DicomVR.DA, "1960.01.31"));
        Assert.Equal(new DateOnly(2026, 11, 28), ds.GetValue<DateOnly>(DicomTags.StudyDate));
        Assert.Equal(new TimeOnly(10, 15, 2, 250), ds.GetValue<TimeOnly>(DicomTags.StudyTime));
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 10, 15, 2, 500, TimeSpan.FromHours(1)), ds.GetValue<DateTimeOffset>(DicomTags.AcquisitionDateTime));
        Assert.Equal(new DateOnly(1960, 1, 31), ds.GetValue<DateOnly>(DicomTags.PatientBirthDate));
        Assert.Equal(new TimeOnly(10, 0), DicomValueParser.ParseTime("10"));
        Assert.Throws<FormatException>(() => DicomValueParser.ParseTime("2561"));
        Assert.Throws<FormatException>(() => DicomValueParser.ParseDate("20261399"));
    }

    [Fact]
    public void PersonName_HasComponentGroupsAndComponents()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "", "ISO 2022 IR 87")
            .AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう");
        var name = ds.GetValue<DicomPersonName>(DicomTags.PatientName);
        Assert.Equal("Yamada", name.FamilyName);
        Assert.Equal("Tarou", name.GivenName);
        Assert.Equal("山田^太郎", name.Ideographic);
        Assert.Equal("やまだ^たろう", name.Phonetic);
        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", name.ToString());
    }

    [Fact]
    public void SequenceItems_InheritTheCharacterSetOfTheirDataSet()
    {
        var item = new DicomDataset();
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192")
            .AddOrUpdate(new DicomSequence(DicomTags.ReferencedStudySequence, [item]));
        item.AddOrUpdate(DicomTags.StudyDescription, DicomVR.LO, "Thorax – Übersicht");
        Assert.Equal("Thorax – Übersicht "u8.ToArray(), Raw(item, DicomTags.StudyDescription));
        Assert.Equal("Thorax – Übersicht", item.GetString(DicomTags.StudyDescription));
        Assert.Same(ds.CharacterSet, item.CharacterSet);
    }

    [Fact]
    public void PrivateCreator_IsFoundForAPrivateElement_WhereverItsBlockIs()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0029, 0x0011), DicomVR.LO, "SIEMENS CSA HEADER")
            .AddOrUpdate(new DicomTag(0x0029, 0x1108), DicomVR.CS, "IMAGE NUM 4");
        Assert.Equal("SIEMENS CSA HEADER", ds.GetPrivateCreator(new DicomTag(0x0029, 0x1108)));
        Assert.Equal(new DicomTag(0x0029, 0x1108), ds.FindPrivateTag(0x0029, "SIEMENS CSA HEADER", 0x08));
        Assert.Null(ds.FindPrivateTag(0x0029, "GEMS_ACQU_01", 0x08));
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2")]
    [InlineData("1.2.840.10008.1.2.1")]
    [InlineData("1.2.840.10008.1.2.2")]
    [InlineData("1.2.840.10008.1.2.1.99")]
    public void SaveAndOpen_InEachUncompressedSyntax_KeepsEveryValue(string syntaxUid)
    {
        var syntax = DicomTransferSyntax.Lookup(syntaxUid);
        var nested = new DicomDataset().AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, "1.2.3.4");
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, DicomUid.SecondaryCaptureImageStorage.Value)
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3")
            .AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)2)
            .AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)2)
            .AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)16)

            // Implicit VR gives "US or SS" its VR from Pixel Representation (PS3.5 A.1, PS3.3 C.7.6.3).
            .AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)1)
            .AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, 0.5, 0.5)
            .AddOrUpdate(DicomTags.RealWorldValueFirstValueMapped, DicomVR.SS, (short)-5)
            .AddOrUpdate(DicomTags.FloatPixelPaddingValue, DicomVR.FL, 1.5f)
            .AddOrUpdate(new DicomSequence(DicomTags.ReferencedImageSequence, [nested]))
            .AddOrUpdate(DicomTags.PixelData, DicomVR.OW, new byte[] { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 });
        var file = new DicomFile(new DicomDataset(), ds, syntax);
        using var stream = new MemoryStream();
        file.Save(stream);
        stream.Position = 0;
        var back = DicomFileReader.Read(stream);

        Assert.Equal(syntax.Uid, back.TransferSyntax.Uid);
        Assert.Equal(DicomImplementation.ClassUid, back.FileMetaInformation.GetString(DicomTags.ImplementationClassUID));
        Assert.Equal("1.2.3", back.FileMetaInformation.GetString(DicomTags.MediaStorageSOPInstanceUID));
        Assert.Equal(2, back.Dataset.GetValue<int>(DicomTags.Rows));
        Assert.Equal([0.5, 0.5], back.Dataset.GetValues<double>(DicomTags.PixelSpacing));
        Assert.Equal(-5, back.Dataset.GetValue<int>(DicomTags.RealWorldValueFirstValueMapped));
        Assert.Equal(1.5f, back.Dataset.GetValue<float>(DicomTags.FloatPixelPaddingValue));
        Assert.Equal("1.2.3.4", back.Dataset.GetSequence(DicomTags.ReferencedImageSequence)!.Items[0].GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, Raw(back.Dataset, DicomTags.PixelData));
        Assert.Equal([0x0201, 0x0403, 0x0605, 0x0807], back.Dataset.GetValues<ushort>(DicomTags.PixelData));
    }

    [Fact]
    public void FileMetaGroupLength_CountsEveryMetaByteAfterIt()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3");
        using var stream = new MemoryStream();
        new DicomFile(new DicomDataset(), ds, DicomTransferSyntax.ExplicitVRLittleEndian).Save(stream);
        var bytes = stream.ToArray();

        // Preamble 128 + "DICM" 4, then (0002,0000) UL 4: the value at 140 is what follows up to the data set.
        var groupLength = BitConverter.ToUInt32(bytes, 140);
        var datasetStart = 144 + (int)groupLength;
        Assert.Equal(0x0008, BitConverter.ToUInt16(bytes, datasetStart));
        Assert.Equal(0x0018, BitConverter.ToUInt16(bytes, datasetStart + 2));
    }

    private static DicomValueElement RawText(DicomTag tag, DicomVR vr, string text) =>
        new(tag, vr, DicomBuffer.FromBytes(System.Text.Encoding.ASCII.GetBytes(text)));

    private static byte[] Raw(DicomDataset ds, DicomTag tag) =>
        ((DicomValueElement)ds.GetElement(tag)!).Buffer.GetMemory().ToArray();
}
