using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.Imaging.Volumes;

/// <summary>
/// What slice ordering needs of one image (PS3.3 C.7.6.2 Image Plane, C.7.6.1 ImageType), plus what its
/// source reference carries, independent of how the data set was read.
/// </summary>
public sealed record SliceGeometry(
    string SopInstanceUid,
    string SopClassUid,
    double[]? ImagePositionPatient,
    double[]? ImageOrientationPatient,
    IReadOnlyList<string> ImageType,
    int Rows,
    int Columns,
    PixelSpacing? PixelSpacing,
    int FrameNumber = 1)
{
    public SourceReference ToSourceReference() =>
        new(SopClassUid, SopInstanceUid, FrameNumber, Rows, Columns, PixelSpacing);

    public static SliceGeometry FromDataset(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var position = dataset.GetValues<double>(DicomTags.ImagePositionPatient);
        var orientation = dataset.GetValues<double>(DicomTags.ImageOrientationPatient);
        var spacing = dataset.GetValues<double>(DicomTags.PixelSpacing);
        return new SliceGeometry(
            dataset.GetString(DicomTags.SOPInstanceUID) ?? string.Empty,
            dataset.GetString(DicomTags.SOPClassUID) ?? string.Empty,
            position.Length == 3 ? position : null,
            orientation.Length == 6 ? orientation : null,
            dataset.GetStrings(DicomTags.ImageType).Select(v => v.Trim()).ToArray(),
            dataset.GetValueOrDefault(DicomTags.Rows, 0),
            dataset.GetValueOrDefault(DicomTags.Columns, 0),
            spacing.Length >= 2 ? new PixelSpacing(spacing[0], spacing[1]) : null);
    }
}
