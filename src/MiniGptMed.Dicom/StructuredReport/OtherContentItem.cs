using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>An item of a value type this toolkit has no typed view for (TCOORD, WAVEFORM, TABLE, or unknown): its
/// relationship, concept name and children are still readable.</summary>
public sealed class OtherContentItem : ContentItem
{
    internal OtherContentItem(DicomDataset dataset)
        : base(dataset)
    {
    }

    public override string DescribeValue() => "(not read)";
}
