using MiniGptMed.Dicom.Imaging;

namespace MiniGptMed.Dicom.SecondaryCapture;

/// <summary>
/// One frame of a derived true colour image: 8-bit RGB, interleaved (R,G,B per pixel, rows top to bottom), at the
/// matrix of <paramref name="Source"/>, the frame it was derived from.
/// </summary>
/// <param name="PixelSpacing">
/// The physical spacing to carry over as Pixel Spacing (0028,0030): the source's own Pixel Spacing, never a
/// detector's Imager Pixel Spacing, which is not calibrated to the patient (PS3.3 10.7.1.3). Null when unknown.
/// </param>
/// <param name="SourceIsMultiFrame">The source instance has more than one frame, so the reference names the frame.</param>
/// <param name="Label">What a viewer may show for the frame (Frame Label Vector, SH, at most 16 characters); null gives its number.</param>
public sealed record SecondaryCaptureFrame(
    ReadOnlyMemory<byte> Rgb,
    SourceReference Source,
    PixelSpacing? PixelSpacing,
    bool SourceIsMultiFrame = false,
    string? Label = null);
