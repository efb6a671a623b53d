using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>A CONTAINER (PS3.3 C.18.8): a heading that groups its children, possibly made by a template.</summary>
public sealed class ContainerContentItem : ContentItem
{
    /// <summary>PS3.16: templates of the DICOM Content Mapping Resource.</summary>
    public const string DcmrMappingResource = "DCMR";

    /// <summary>PS3.6 Annex A: DICOM Content Mapping Resource.</summary>
    public const string DcmrMappingResourceUid = "1.2.840.10008.8.1.1";

    internal ContainerContentItem(DicomDataset dataset)
        : base(dataset)
    {
    }

    /// <summary>Continuity Of Content (0040,A050): SEPARATE or CONTINUOUS.</summary>
    public string Continuity => Dataset.GetString(DicomTags.ContinuityOfContent) ?? string.Empty;

    /// <summary>Template Identifier (0040,DB00) of the Content Template Sequence, e.g. "1500", or null.</summary>
    public string? TemplateIdentifier =>
        Dataset.GetSequence(DicomTags.ContentTemplateSequence) is { Items.Count: > 0 } sequence
            ? sequence.Items[0].GetString(DicomTags.TemplateIdentifier)
            : null;

    /// <summary>
    /// Makes <paramref name="document"/> (the top-level data set of an SR) the root CONTAINER of a content tree
    /// (PS3.3 C.17.3, SR Document Content Module): Value Type, Concept Name, Continuity Of Content and, when a
    /// template made it, the Content Template Sequence.
    /// </summary>
    public static ContainerContentItem CreateRoot(DicomDataset document, CodedConcept title, string? templateIdentifier)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(title);
        document.AddOrUpdate(DicomTags.ValueType, DicomVR.CS, ContentValueType.Container);
        title.WriteAsSequence(document, DicomTags.ConceptNameCodeSequence);
        var root = new ContainerContentItem(document);
        root.Initialise(templateIdentifier);
        return root;
    }

    public override string DescribeValue() => TemplateIdentifier is { } id ? $"[{Continuity}, TID {id}]" : $"[{Continuity}]";

    internal void Initialise(string? templateIdentifier)
    {
        // PS3.3 C.18.8.1.1: SEPARATE, the children are independent statements.
        Dataset.AddOrUpdate(DicomTags.ContinuityOfContent, DicomVR.CS, "SEPARATE");
        if (templateIdentifier is not null)
        {
            // PS3.3 C.18.8.1.2 (Content Template Sequence): the template the container was made from.
            var template = SrDatasets.AppendItem(Dataset, DicomTags.ContentTemplateSequence);
            template.AddOrUpdate(DicomTags.MappingResource, DicomVR.CS, DcmrMappingResource);
            template.AddOrUpdate(DicomTags.MappingResourceUID, DicomVR.UI, DcmrMappingResourceUid);
            template.AddOrUpdate(DicomTags.TemplateIdentifier, DicomVR.CS, templateIdentifier);
        }
    }
}
