using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>A UIDREF item (PS3.3 C.17.3.2.1): a UID in UID (0040,A124).</summary>
public sealed class UidRefContentItem : ContentItem
{
    internal UidRefContentItem(DicomDataset dataset)
        : base(dataset)
    {
    }

    public string Uid => Dataset.GetString(DicomTags.UID) ?? string.Empty;

    public override string DescribeValue() => Uid;
}
