using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>
/// A content item of an SR document (PS3.3 C.17.3) as a typed view over the data set that holds it: the root
/// (the document's own data set) or an item of a Content Sequence (0040,A730). Nothing is copied: reading a
/// property decodes the data set, adding a child writes into it.
/// </summary>
public abstract class ContentItem
{
    private protected ContentItem(DicomDataset dataset) => Dataset = dataset;

    /// <summary>The data set this item is a view of.</summary>
    public DicomDataset Dataset { get; }

    /// <summary>Value Type (0040,A040), e.g. CONTAINER, TEXT, SCOORD.</summary>
    public string ValueType => Dataset.GetString(DicomTags.ValueType) ?? string.Empty;

    /// <summary>Relationship Type (0040,A010) with the parent; null at the root or when the term is unknown.</summary>
    public RelationshipType? Relationship => RelationshipType.Find(Dataset.GetString(DicomTags.RelationshipType));

    /// <summary>Concept Name Code Sequence (0040,A043), or null where the item has none (IMAGE, SCOORD may omit it).</summary>
    public CodedConcept? ConceptName => CodedConcept.ReadSequence(Dataset, DicomTags.ConceptNameCodeSequence);

    /// <summary>The children, in the order of the Content Sequence, as typed views.</summary>
    public IReadOnlyList<ContentItem> Children =>
        Dataset.GetSequence(DicomTags.ContentSequence)?.Items.Select(From).ToArray() ?? [];

    /// <summary>The typed view for an item of a content tree, by its Value Type.</summary>
    public static ContentItem From(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.GetString(DicomTags.ValueType) switch
        {
            ContentValueType.Container => new ContainerContentItem(dataset),
            ContentValueType.Text => new TextContentItem(dataset),
            ContentValueType.Code => new CodeContentItem(dataset),
            ContentValueType.Num => new NumContentItem(dataset),
            ContentValueType.UidRef => new UidRefContentItem(dataset),
            ContentValueType.DateTime => new DateTimeContentItem(dataset),
            ContentValueType.Date => new DateContentItem(dataset),
            ContentValueType.Time => new TimeContentItem(dataset),
            ContentValueType.PersonName => new PersonNameContentItem(dataset),
            ContentValueType.Image => new ImageContentItem(dataset),
            ContentValueType.Scoord => new SpatialCoordinatesContentItem(dataset),
            ContentValueType.Scoord3D => new SpatialCoordinates3DContentItem(dataset),
            ContentValueType.Composite => new CompositeContentItem(dataset),
            _ => new OtherContentItem(dataset),
        };
    }

    /// <summary>The children named <paramref name="conceptName"/> (same value and scheme).</summary>
    public IEnumerable<ContentItem> ChildrenNamed(CodedConcept conceptName) =>
        Children.Where(c => conceptName.Matches(c.ConceptName));

    /// <summary>A one-line description of the value, as the tree dump shows it.</summary>
    public abstract string DescribeValue();

    public ContainerContentItem AddContainer(RelationshipType relationship, CodedConcept conceptName, string? templateIdentifier = null)
    {
        ArgumentNullException.ThrowIfNull(conceptName);
        var item = new ContainerContentItem(AddChild(relationship, ContentValueType.Container, conceptName));
        item.Initialise(templateIdentifier);
        return item;
    }

    public TextContentItem AddText(RelationshipType relationship, CodedConcept conceptName, string text)
    {
        ArgumentNullException.ThrowIfNull(conceptName);
        ArgumentNullException.ThrowIfNull(text);
        var dataset = AddChild(relationship, ContentValueType.Text, conceptName);
        SrDatasets.SetText(dataset, DicomTags.TextValue, DicomVR.UT, text);
        return new TextContentItem(dataset);
    }

    public CodeContentItem AddCode(RelationshipType relationship, CodedConcept conceptName, CodedConcept value)
    {
        ArgumentNullException.ThrowIfNull(conceptName);
        ArgumentNullException.ThrowIfNull(value);
        var dataset = AddChild(relationship, ContentValueType.Code, conceptName);
        value.WriteAsSequence(dataset, DicomTags.ConceptCodeSequence);
        return new CodeContentItem(dataset);
    }

    public NumContentItem AddNum(RelationshipType relationship, CodedConcept conceptName, double value, CodedConcept units)
    {
        ArgumentNullException.ThrowIfNull(conceptName);
        ArgumentNullException.ThrowIfNull(units);
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"NUM {conceptName}: {value} is not a finite number (PS3.3 C.18.1).", nameof(value));
        }

        var dataset = AddChild(relationship, ContentValueType.Num, conceptName);
        NumContentItem.WriteMeasuredValue(dataset, value, units);
        return new NumContentItem(dataset);
    }

    public UidRefContentItem AddUidRef(RelationshipType relationship, CodedConcept conceptName, string uid)
    {
        ArgumentNullException.ThrowIfNull(conceptName);
        SrDatasets.RequireUid(uid, $"UIDREF {conceptName}");
        var dataset = AddChild(relationship, ContentValueType.UidRef, conceptName);
        dataset.AddOrUpdate(DicomTags.UID, DicomVR.UI, uid);
        return new UidRefContentItem(dataset);
    }

    public DateTimeContentItem AddDateTime(RelationshipType relationship, CodedConcept conceptName, DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(conceptName);
        var dataset = AddChild(relationship, ContentValueType.DateTime, conceptName);
        dataset.AddOrUpdate(DicomTags.DateTime, DicomVR.DT, Composition.DerivedObjectHeader.FormatDateTime(value));
        return new DateTimeContentItem(dataset);
    }

    public DateContentItem AddDate(RelationshipType relationship, CodedConcept conceptName, DateOnly value)
    {
        ArgumentNullException.ThrowIfNull(conceptName);
        var dataset = AddChild(relationship, ContentValueType.Date, conceptName);
        dataset.AddOrUpdate(DicomTags.Date, DicomVR.DA, DicomValueParser.FormatDate(value));
        return new DateContentItem(dataset);
    }

    public TimeContentItem AddTime(RelationshipType relationship, CodedConcept conceptName, TimeOnly value)
    {
        ArgumentNullException.ThrowIfNull(conceptName);
        var dataset = AddChild(relationship, ContentValueType.Time, conceptName);
        dataset.AddOrUpdate(DicomTags.Time, DicomVR.TM, DicomValueParser.FormatTime(value));
        return new TimeContentItem(dataset);
    }

    public PersonNameContentItem AddPersonName(RelationshipType relationship, CodedConcept conceptName, string personName)
    {
        ArgumentNullException.ThrowIfNull(conceptName);
        ArgumentNullException.ThrowIfNull(personName);
        if (personName.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"PNAME {conceptName}: a person name cannot hold '\\' (PS3.5 6.2).", nameof(personName));
        }

        var dataset = AddChild(relationship, ContentValueType.PersonName, conceptName);
        SrDatasets.SetText(dataset, DicomTags.PersonName, DicomVR.PN, personName);
        return new PersonNameContentItem(dataset);
    }

    /// <summary>An IMAGE reference (PS3.3 C.18.4); <paramref name="frameNumbers"/> (1-based) for a multi-frame image.</summary>
    public ImageContentItem AddImage(RelationshipType relationship, CodedConcept? conceptName, string sopClassUid, string sopInstanceUid, IReadOnlyList<int>? frameNumbers = null)
    {
        var dataset = AddChild(relationship, ContentValueType.Image, conceptName);
        SrDatasets.WriteSopReference(dataset, sopClassUid, sopInstanceUid, frameNumbers);
        return new ImageContentItem(dataset);
    }

    /// <summary>A COMPOSITE reference to any instance (PS3.3 C.18.3).</summary>
    public CompositeContentItem AddComposite(RelationshipType relationship, CodedConcept? conceptName, string sopClassUid, string sopInstanceUid)
    {
        var dataset = AddChild(relationship, ContentValueType.Composite, conceptName);
        SrDatasets.WriteSopReference(dataset, sopClassUid, sopInstanceUid, null);
        return new CompositeContentItem(dataset);
    }

    /// <summary>
    /// An SCOORD (PS3.3 C.18.6): points (column, row pairs) in the image pixel coordinates of the IMAGE it is
    /// SELECTED FROM, which the caller adds as its child.
    /// </summary>
    public SpatialCoordinatesContentItem AddSpatialCoordinates(RelationshipType relationship, CodedConcept? conceptName, string graphicType, IReadOnlyList<float> graphicData)
    {
        ArgumentNullException.ThrowIfNull(graphicData);
        SpatialCoordinatesContentItem.Validate(graphicType, graphicData);
        var dataset = AddChild(relationship, ContentValueType.Scoord, conceptName);
        dataset.AddOrUpdate(DicomTags.GraphicData, DicomVR.FL, [.. graphicData]);
        dataset.AddOrUpdate(DicomTags.GraphicType, DicomVR.CS, graphicType);
        return new SpatialCoordinatesContentItem(dataset);
    }

    /// <summary>An SCOORD3D (PS3.3 C.18.9): x, y, z triplets in mm in the frame of reference given.</summary>
    public SpatialCoordinates3DContentItem AddSpatialCoordinates3D(RelationshipType relationship, CodedConcept? conceptName, string graphicType, IReadOnlyList<float> graphicData, string frameOfReferenceUid)
    {
        ArgumentNullException.ThrowIfNull(graphicData);
        SpatialCoordinates3DContentItem.Validate(graphicType, graphicData);
        SrDatasets.RequireUid(frameOfReferenceUid, "SCOORD3D Referenced Frame of Reference UID");
        var dataset = AddChild(relationship, ContentValueType.Scoord3D, conceptName);
        dataset.AddOrUpdate(DicomTags.GraphicData, DicomVR.FL, [.. graphicData]);
        dataset.AddOrUpdate(DicomTags.GraphicType, DicomVR.CS, graphicType);
        dataset.AddOrUpdate(DicomTags.ReferencedFrameOfReferenceUID, DicomVR.UI, frameOfReferenceUid);
        return new SpatialCoordinates3DContentItem(dataset);
    }

    public override string ToString() =>
        $"{Relationship?.Code ?? "ROOT"} {ValueType} {ConceptName?.ToString() ?? "(no concept name)"} = {DescribeValue()}";

    private DicomDataset AddChild(RelationshipType relationship, string valueType, CodedConcept? conceptName)
    {
        ArgumentNullException.ThrowIfNull(relationship);
        var item = SrDatasets.AppendItem(Dataset, DicomTags.ContentSequence);
        item.AddOrUpdate(DicomTags.RelationshipType, DicomVR.CS, relationship.Code);
        item.AddOrUpdate(DicomTags.ValueType, DicomVR.CS, valueType);
        conceptName?.WriteAsSequence(item, DicomTags.ConceptNameCodeSequence);
        return item;
    }
}
