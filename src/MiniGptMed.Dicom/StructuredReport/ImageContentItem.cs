using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>An IMAGE item (PS3.3 C.18.4): a reference to an image and, for a multi-frame image, its frames.</summary>
public sealed class ImageContentItem : ContentItem
{
    internal ImageContentItem(DicomDataset dataset)
        : base(dataset)
    {
    }

    public SopReference? Reference => SopReference.Read(Dataset);

    public override string DescribeValue() => Reference?.ToString() ?? "(no reference)";
}
