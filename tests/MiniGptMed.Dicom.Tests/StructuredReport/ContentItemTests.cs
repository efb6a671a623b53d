using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.StructuredReport;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.StructuredReport;

public sealed class ContentItemTests
{
    private static readonly CodedConcept Name = new("121071", "DCM", "Finding");

    [Fact]
    public void EveryValueType_WrittenToAFileAndReadBack_GivesTheSameTreeAndValues()
    {
        var document = new DicomDataset();
        document.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        var root = ContainerContentItem.CreateRoot(document, new CodedConcept("126000", "DCM", "Imaging Measurement Report"), "1500");
        var container = root.AddContainer(RelationshipType.Contains, new CodedConcept("111028", "DCM", "Image Library"));
        container.AddText(RelationshipType.Contains, Name, "Ödem, 结节");
        container.AddCode(RelationshipType.HasConceptMod, Name, new CodedConcept("233604007", "SCT", "Pneumonia", "2024-01"));
        container.AddNum(RelationshipType.HasProperties, Name, 0.1 + 0.2, new CodedConcept("mm", "UCUM", "mm"));
        container.AddUidRef(RelationshipType.HasObsContext, Name, "1.2.3.4");
        container.AddDateTime(RelationshipType.HasObsContext, Name, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)));
        container.AddDate(RelationshipType.HasAcqContext, Name, new DateOnly(2026, 1, 2));
        container.AddTime(RelationshipType.HasAcqContext, Name, new TimeOnly(13, 5, 7));
        container.AddPersonName(RelationshipType.HasObsContext, Name, "Yamada^Tarou=山田^太郎");
        var region = container.AddSpatialCoordinates(RelationshipType.Contains, Name, "POLYLINE", [1, 2, 3, 2, 3, 4, 1, 4, 1, 2]);
        region.AddImage(RelationshipType.SelectedFrom, null, "1.2.840.10008.5.1.4.1.1.2.1", "1.2.3.5", [7]);
        container.AddSpatialCoordinates3D(RelationshipType.Contains, Name, "POINT", [1.5f, -2, 3], "1.2.3.6");
        container.AddComposite(RelationshipType.InferredFrom, Name, "1.2.840.10008.5.1.4.1.1.88.34", "1.2.3.7");
        container.AddCode(RelationshipType.Contains, Name, new CodedConcept("a-code-value-longer-than-16", "99LONG", "Long code"));
        container.AddCode(RelationshipType.Contains, Name, new CodedConcept("urn:oid:1.2.3", "99URN", "URN code"));

        using var temp = new TempDirectory();
        var path = temp.File("tree.dcm");
        var syntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        new DicomFile(DicomFileWriter.BuildFileMetaInformation(document, syntax), document, syntax).Save(path);
        var read = ContentTree.Read(DicomFile.Open(path).Dataset);

        Assert.Equal(ContentTree.Describe(root), ContentTree.Describe(read));
        var items = read.Children.Single().Children;
        Assert.Equal("Ödem, 结节", Assert.IsType<TextContentItem>(items[0]).Text);
        Assert.Equal(new CodedConcept("233604007", "SCT", "Pneumonia", "2024-01"), Assert.IsType<CodeContentItem>(items[1]).Code);
        Assert.Equal(0.1 + 0.2, Assert.IsType<NumContentItem>(items[2]).Value);
        Assert.Equal("mm", ((NumContentItem)items[2]).Units!.Value);
        Assert.Equal("1.2.3.4", Assert.IsType<UidRefContentItem>(items[3]).Uid);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)), Assert.IsType<DateTimeContentItem>(items[4]).Value);
        Assert.Equal(new DateOnly(2026, 1, 2), Assert.IsType<DateContentItem>(items[5]).Value);
        Assert.Equal(new TimeOnly(13, 5, 7), Assert.IsType<TimeContentItem>(items[6]).Value);
        Assert.Equal("Yamada^Tarou=山田^太郎", Assert.IsType<PersonNameContentItem>(items[7]).PersonName);
        var scoord = Assert.IsType<SpatialCoordinatesContentItem>(items[8]);
        Assert.Equal([1f, 2, 3, 2, 3, 4, 1, 4, 1, 2], scoord.GraphicData);
        Assert.Equal([7], Assert.IsType<ImageContentItem>(scoord.Children.Single()).Reference!.FrameNumbers);
        var scoord3D = Assert.IsType<SpatialCoordinates3DContentItem>(items[9]);
        Assert.Equal([1.5f, -2, 3], scoord3D.GraphicData);
        Assert.Equal("1.2.3.6", scoord3D.FrameOfReferenceUid);
        Assert.Equal("1.2.3.7", Assert.IsType<CompositeContentItem>(items[10]).Reference!.SopInstanceUid);
        Assert.Equal("a-code-value-longer-than-16", ((CodeContentItem)items[11]).Code!.Value);
        Assert.True(((CodeContentItem)items[11]).Dataset.GetSequence(DicomTags.ConceptCodeSequence)!.Items[0].Contains(DicomTags.LongCodeValue));
        Assert.True(((CodeContentItem)items[12]).Dataset.GetSequence(DicomTags.ConceptCodeSequence)!.Items[0].Contains(DicomTags.URNCodeValue));
        Assert.Equal(RelationshipType.InferredFrom, items[10].Relationship);
    }

    [Fact]
    public void AddText_NonAsciiWithoutCharacterSet_RefusesInsteadOfWritingQuestionMarks()
    {
        var document = new DicomDataset();
        var root = ContainerContentItem.CreateRoot(document, Name, null);

        var error = Assert.Throws<DicomDataException>(() => root.AddText(RelationshipType.Contains, Name, "Ödem"));

        Assert.Contains("ISO_IR 192", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSpatialCoordinates_WithOddNumberOfValues_Refuses()
    {
        var root = ContainerContentItem.CreateRoot(new DicomDataset(), Name, null);

        Assert.Throws<ArgumentException>(() => root.AddSpatialCoordinates(RelationshipType.Contains, Name, "POLYLINE", [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => root.AddSpatialCoordinates(RelationshipType.Contains, Name, "POLYLINE", [1, 2, float.NaN, 4]));
        Assert.Throws<ArgumentException>(() => root.AddSpatialCoordinates(RelationshipType.Contains, Name, "SQUARE", [1, 2, 3, 4]));
    }

    [Fact]
    public void CodedConcept_WithMeaningLongerThanAnLO_Refuses()
    {
        var root = ContainerContentItem.CreateRoot(new DicomDataset(), Name, null);

        Assert.Throws<ArgumentException>(() => root.AddCode(RelationshipType.Contains, Name, new CodedConcept("1", "SCT", new string('x', 65))));
    }

    [Fact]
    public void Read_ImageDataset_SaysItIsNotAnSrDocument()
    {
        var error = Assert.Throws<DicomDataException>(() => ContentTree.Read(SourceImages.CtSlice()));

        Assert.Contains("not an SR document", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ItemWithoutRelationshipType_SaysWhich()
    {
        var document = new DicomDataset();
        var root = ContainerContentItem.CreateRoot(document, Name, null);
        root.AddText(RelationshipType.Contains, Name, "x").Dataset.Remove(DicomTags.RelationshipType);

        var error = Assert.Throws<DicomDataException>(() => ContentTree.Read(document));

        Assert.Contains("Relationship Type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TreeDeeperThanTheLimit_Refuses()
    {
        var document = new DicomDataset();
        ContentItem item = ContainerContentItem.CreateRoot(document, Name, null);
        for (var i = 0; i <= ContentTree.MaxDepth; i++)
        {
            item = item.AddContainer(RelationshipType.Contains, Name);
        }

        var error = Assert.Throws<DicomDataException>(() => ContentTree.Read(document));

        Assert.Contains("deeper", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_UnknownValueType_GivesAnItemWhoseChildrenStillRead()
    {
        var document = new DicomDataset();
        var root = ContainerContentItem.CreateRoot(document, Name, null);
        var waveform = root.AddText(RelationshipType.Contains, Name, "x");
        waveform.Dataset.AddOrUpdate(DicomTags.ValueType, DicomVR.CS, "WAVEFORM");
        waveform.AddText(RelationshipType.HasProperties, Name, "child");

        var read = ContentTree.Read(document).Children.Single();

        Assert.IsType<OtherContentItem>(read);
        Assert.Equal("child", Assert.IsType<TextContentItem>(read.Children.Single()).Text);
    }
}
