using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>A TEXT item (PS3.3 C.17.3.2.1): free text in Text Value (0040,A160), UT.</summary>
public sealed class TextContentItem : ContentItem
{
    internal TextContentItem(DicomDataset dataset)
        : base(dataset)
    {
    }

    public string Text => Dataset.GetString(DicomTags.TextValue) ?? string.Empty;

    public override string DescribeValue() => "\"" + Text + "\"";
}
