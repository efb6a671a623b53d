using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging;

namespace MiniGptMed.Dicom.PresentationState;

/// <summary>
/// One referenced frame of an original image with what the presentation state does to it: the boxes drawn on it,
/// and for grayscale the window, the rescale and the polarity of the original.
/// </summary>
/// <param name="SeriesInstanceUid">The original's series (Referenced Series Sequence groups images by it).</param>
/// <param name="SourceIsMultiFrame">The original has several frames, so every reference names the frame.</param>
/// <param name="Window">Grayscale only: the window the analysis used; null leaves the viewer's own.</param>
/// <param name="Rescale">Grayscale only: the original's rescale; null when it has none (identity).</param>
/// <param name="IsMonochrome1">Grayscale only: the original is MONOCHROME1 (minimum shown white).</param>
/// <param name="PixelAspectRatio">The original's Pixel Aspect Ratio (vertical, horizontal) when it has no spacing.</param>
public sealed record PresentationImage(
    SourceReference Source,
    string SeriesInstanceUid,
    bool SourceIsMultiFrame,
    IReadOnlyList<PresentationAnnotation> Annotations,
    PresentationWindow? Window = null,
    ModalityRescale? Rescale = null,
    bool IsMonochrome1 = false,
    (int Vertical, int Horizontal)? PixelAspectRatio = null)
{
    /// <summary>The plain values read from the original's data set, for frame <paramref name="frameNumber"/> (1-based).</summary>
    public static PresentationImage FromSource(DicomDataset source, int frameNumber, PresentationWindow? window, IReadOnlyList<PresentationAnnotation> annotations)
    {
        ArgumentNullException.ThrowIfNull(source);
        string Required(DicomTag tag) => source.GetString(tag) is { Length: > 0 } v
            ? v
            : throw new DicomDataException($"The original has no {tag}; a presentation state cannot reference it.", tag);

        var rows = source.GetValueOrDefault(DicomTags.Rows, 0);
        var columns = source.GetValueOrDefault(DicomTags.Columns, 0);
        var frames = source.GetValueOrDefault(DicomTags.NumberOfFrames, 1);
        if (frameNumber < 1 || frameNumber > Math.Max(frames, 1))
        {
            throw new ArgumentOutOfRangeException(nameof(frameNumber), frameNumber, $"The original has {frames} frame(s).");
        }

        var spacing = source.GetValues<double>(DicomTags.PixelSpacing);
        if (spacing.Length < 2)
        {
            spacing = source.GetValues<double>(DicomTags.ImagerPixelSpacing);
        }

        var reference = new SourceReference(Required(DicomTags.SOPClassUID), Required(DicomTags.SOPInstanceUID), frameNumber, rows, columns,
            spacing.Length >= 2 && spacing[0] > 0 && spacing[1] > 0 ? new PixelSpacing(spacing[0], spacing[1]) : null);
        var photometric = source.GetString(DicomTags.PhotometricInterpretation)?.Trim() ?? string.Empty;
        var monochrome = photometric.StartsWith("MONOCHROME", StringComparison.Ordinal);
        if (monochrome && source.GetSequence(DicomTags.ModalityLUTSequence) is { Items.Count: > 0 })
        {
            throw new DicomDataException("The original has a Modality LUT Sequence; only Rescale Slope/Intercept is restated in a presentation state.", DicomTags.ModalityLUTSequence);
        }

        ModalityRescale? rescale = null;
        if (monochrome && (source.Contains(DicomTags.RescaleSlope) || source.Contains(DicomTags.RescaleIntercept)))
        {
            var modality = source.GetString(DicomTags.Modality)?.Trim();
            var type = source.GetString(DicomTags.RescaleType)?.Trim() is { Length: > 0 } t ? t : modality == "CT" ? "HU" : "US";
            rescale = new ModalityRescale(source.GetValueOrDefault(DicomTags.RescaleSlope, 1.0), source.GetValueOrDefault(DicomTags.RescaleIntercept, 0.0), type);
        }

        var aspect = source.GetValues<int>(DicomTags.PixelAspectRatio);
        return new PresentationImage(
            reference,
            Required(DicomTags.SeriesInstanceUID),
            frames > 1,
            annotations,
            monochrome ? window : null,
            rescale,
            photometric == "MONOCHROME1",
            aspect.Length >= 2 && aspect[0] > 0 && aspect[1] > 0 ? (aspect[0], aspect[1]) : null);
    }
}
