using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>A COMPOSITE item (PS3.3 C.18.3): a reference to any SOP instance.</summary>
public sealed class CompositeContentItem : ContentItem
{
    internal CompositeContentItem(DicomDataset dataset)
        : base(dataset)
    {
    }

    public SopReference? Reference => SopReference.Read(Dataset);

    public override string DescribeValue() => Reference?.ToString() ?? "(no reference)";
}
