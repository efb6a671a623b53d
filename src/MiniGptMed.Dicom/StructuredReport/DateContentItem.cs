using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>A DATE item (PS3.3 C.17.3.2.1): Date (0040,A121), DA.</summary>
public sealed class DateContentItem : ContentItem
{
    internal DateContentItem(DicomDataset dataset)
        : base(dataset)
    {
    }

    public DateOnly? Value => Dataset.TryGetValue<DateOnly>(DicomTags.Date, out var v) ? v : null;

    public override string DescribeValue() => Dataset.GetString(DicomTags.Date) ?? string.Empty;
}
