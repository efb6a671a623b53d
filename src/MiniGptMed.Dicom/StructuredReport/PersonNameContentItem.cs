using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>A PNAME item (PS3.3 C.17.3.2.1): Person Name (0040,A123), PN.</summary>
public sealed class PersonNameContentItem : ContentItem
{
    internal PersonNameContentItem(DicomDataset dataset)
        : base(dataset)
    {
    }

    public string PersonName => Dataset.GetString(DicomTags.PersonName) ?? string.Empty;

    public override string DescribeValue() => PersonName;
}
