using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.Tests.Data;

public class DicomDictionaryTests
{
    [Fact]
    public void FindByKeyword_PatientName_GivesPNWithTagAndName()
    {
        var entry = DicomDictionary.FindByKeyword("PatientName");

        Assert.NotNull(entry);
        Assert.Equal(new DicomTag(0x0010, 0x0010), entry.Tag);
        Assert.Equal([DicomVR.PN], entry.ValueRepresentations);
        Assert.Equal("1", entry.ValueMultiplicity);
        Assert.Equal("Patient's Name", entry.Name);
        Assert.False(entry.IsRetired);
    }

    [Fact]
    public void FindByKeyword_UnknownOrWrongCase_GivesNull()
    {
        Assert.Null(DicomDictionary.FindByKeyword("NoSuchKeyword"));
        Assert.Null(DicomDictionary.FindByKeyword("patientname"));
    }

    [Fact]
    public void Find_GeneratedTagConstants_AgreeWithDictionary()
    {
        Assert.Equal("PixelData", DicomDictionary.Find(DicomTags.PixelData)?.Keyword);
        Assert.Equal(new DicomTag(0x7FE0, 0x0010), DicomTags.PixelData);
        Assert.Equal(new DicomTag(0x0008, 0x0018), DicomTags.SOPInstanceUID);
        Assert.Equal(new DicomTag(0x0002, 0x0010), DicomTags.TransferSyntaxUID);
    }

    [Fact]
    public void Find_CommandAndFileMetaGroups_AreIncluded()
    {
        Assert.Equal("CommandField", DicomDictionary.Find(new DicomTag(0x0000, 0x0100))?.Keyword);
        Assert.Equal(DicomVR.US, DicomDictionary.DefaultVR(new DicomTag(0x0000, 0x0100)));
        Assert.Equal(DicomVR.UL, DicomDictionary.DefaultVR(new DicomTag(0x0000, 0x0000)));
        Assert.Equal("FileMetaInformationVersion", DicomDictionary.Find(new DicomTag(0x0002, 0x0001))?.Keyword);
        Assert.Equal(DicomVR.OB, DicomDictionary.DefaultVR(new DicomTag(0x0002, 0x0001)));
        Assert.Equal(DicomVR.UI, DicomDictionary.DefaultVR(new DicomTag(0x0002, 0x0010)));
    }

    [Theory]
    [InlineData(0x6000)]
    [InlineData(0x6002)]
    [InlineData(0x601E)]
    [InlineData(0x60FE)]
    public void Find_OverlayRepeatingGroup_MatchesEveryEvenGroup(int group)
    {
        var rows = DicomDictionary.Find(new DicomTag((ushort)group, 0x0010));
        var data = DicomDictionary.Find(new DicomTag((ushort)group, 0x3000));

        Assert.Equal("OverlayRows", rows?.Keyword);
        Assert.Equal(DicomVR.US, rows?.DefaultVR);
        Assert.True(rows?.IsRepeatingGroup);
        Assert.Equal(new DicomTag(0x6000, 0x0010), rows?.Tag);
        Assert.Equal("OverlayData", data?.Keyword);
        Assert.Equal([DicomVR.OB, DicomVR.OW], data?.ValueRepresentations);
    }

    [Fact]
    public void Find_CurveAndVariablePixelDataRepeatingGroups_AreRetired()
    {
        var curve = DicomDictionary.Find(new DicomTag(0x5004, 0x0005));
        var variablePixelData = DicomDictionary.Find(new DicomTag(0x7F02, 0x0010));

        Assert.Equal("CurveDimensions", curve?.Keyword);
        Assert.True(curve?.IsRetired);
        Assert.Equal("VariablePixelData", variablePixelData?.Keyword);
        Assert.True(variablePixelData?.IsRetired);
    }

    [Theory]
    [InlineData(0x0020, 0x3105, "SourceImageIDs")]
    [InlineData(0x0028, 0x0412, "CoefficientCoding")]
    [InlineData(0x0028, 0x08A8, "ImageDataLocation")]
    [InlineData(0x1000, 0x0125, "ShiftTableTriplet")]
    [InlineData(0x1010, 0x1234, "ZonalMap")]
    public void Find_OtherMaskedRepeatingElements_AreFound(int group, int element, string keyword)
    {
        var entry = DicomDictionary.Find(new DicomTag((ushort)group, (ushort)element));

        Assert.Equal(keyword, entry?.Keyword);
        Assert.True(entry?.IsRepeatingGroup);
        Assert.True(entry?.Matches(new DicomTag((ushort)group, (ushort)element)));
    }

    [Fact]
    public void Find_OddOverlayGroup_IsPrivateNotOverlay()
    {
        Assert.Null(DicomDictionary.Find(new DicomTag(0x6001, 0x3000)));
        Assert.Equal(DicomVR.UN, DicomDictionary.DefaultVR(new DicomTag(0x6001, 0x3000)));
    }

    [Theory]
    [InlineData(0x0009, 0x0010)]
    [InlineData(0x0029, 0x0011)]
    [InlineData(0x7FE1, 0x00FF)]
    public void Find_PrivateCreatorElement_IsLOPrivateCreator(int group, int element)
    {
        var entry = DicomDictionary.Find(new DicomTag((ushort)group, (ushort)element));

        Assert.Equal("Private Creator", entry?.Name);
        Assert.Equal(DicomVR.LO, DicomDictionary.DefaultVR(new DicomTag((ushort)group, (ushort)element)));
    }

    [Fact]
    public void Find_PrivateDataElementAndReservedRange_AreUnknown()
    {
        Assert.Null(DicomDictionary.Find(new DicomTag(0x0029, 0x1010)));
        Assert.Null(DicomDictionary.Find(new DicomTag(0x0029, 0x0005)));
        Assert.Equal(DicomVR.UN, DicomDictionary.DefaultVR(new DicomTag(0x0029, 0x1010)));
    }

    [Theory]
    [InlineData(0x0009)]
    [InlineData(0x0018)]
    [InlineData(0x4321)]
    public void Find_AnyGroupLength_IsULGroupLength(int group)
    {
        var entry = DicomDictionary.Find(new DicomTag((ushort)group, 0x0000));

        Assert.NotNull(entry);
        Assert.Equal(DicomVR.UL, entry.DefaultVR);
        Assert.Contains("Group Length", entry.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultVR_UnknownPublicTag_IsUN()
    {
        Assert.Null(DicomDictionary.Find(new DicomTag(0x0010, 0x9999)));
        Assert.Equal(DicomVR.UN, DicomDictionary.DefaultVR(new DicomTag(0x0010, 0x9999)));
    }

    [Fact]
    public void Find_UsOrSs_GivesBothWithUsFirst()
    {
        var entry = DicomDictionary.Find(DicomTags.SmallestImagePixelValue);

        Assert.Equal([DicomVR.US, DicomVR.SS], entry?.ValueRepresentations);
        Assert.Equal(DicomVR.US, DicomDictionary.DefaultVR(DicomTags.SmallestImagePixelValue));
    }

    [Fact]
    public void Find_ItemDelimiters_HaveNoVR()
    {
        var item = DicomDictionary.Find(DicomTag.Item);

        Assert.Equal("Item", item?.Keyword);
        Assert.Empty(item!.ValueRepresentations);
        Assert.Equal(DicomVR.UN, item.DefaultVR);
    }

    [Fact]
    public void Find_RetiredTag_IsFlagged()
    {
        var entry = DicomDictionary.Find(new DicomTag(0x0008, 0x0010));

        Assert.Equal("RecognitionCode", entry?.Keyword);
        Assert.True(entry?.IsRetired);
    }

    [Fact]
    public void Entries_AreManyAndKeywordsUnique()
    {
        var entries = DicomDictionary.Entries;
        var keywords = entries.Where(e => e.Keyword.Length > 0).Select(e => e.Keyword).ToList();

        Assert.True(entries.Count > 4500, $"only {entries.Count} entries");
        Assert.Equal(keywords.Count, keywords.Distinct(StringComparer.Ordinal).Count());
        Assert.All(entries.Where(e => e.Keyword.Length > 0), e => Assert.Same(e, DicomDictionary.FindByKeyword(e.Keyword)));
    }
}
