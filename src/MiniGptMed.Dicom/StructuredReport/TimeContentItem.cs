using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.StructuredReport;

/// <summary>A TIME item (PS3.3 C.17.3.2.1): Time (0040,A122), TM.</summary>
public sealed class TimeContentItem : ContentItem
{
    internal TimeContentItem(DicomDataset dataset)
        : base(dataset)
    {
    }

    public TimeOnly? Value => Dataset.TryGetValue<TimeOnly>(DicomTags.Time, out var v) ? v : null;

    public override string DescribeValue() => Dataset.GetString(DicomTags.Time) ?? string.Empty;
}
