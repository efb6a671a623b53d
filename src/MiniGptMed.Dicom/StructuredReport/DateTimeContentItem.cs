using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>A DATETIME item (PS3.3 C.17.3.2.1): DateTime (0040,A120), DT.</summary>
public sealed class DateTimeContentItem : ContentItem
{
    internal DateTimeContentItem(DicomDataset dataset)
        : base(dataset)
    {
    }

    public DateTimeOffset? Value => Dataset.TryGetValue<DateTimeOffset>(DicomTags.DateTime, out var v) ? v : null;

    public override string DescribeValue() => Dataset.GetString(DicomTags.DateTime) ?? string.Empty;
}
