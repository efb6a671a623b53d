using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Inference.Imaging;

namespace MiniGptMed.DicomNode.Analysis;

/// <summary>
/// A chosen frame as the model sees it: the 8-bit image (grey or RGB, the source's own matrix), and the window used.
/// The same pixels go into the Secondary Capture, so what the radiologist sees is what the model read.
/// </summary>
internal sealed record RenderedImage(PlannedImage Planned, OutputImage Image, AppliedWindow? Window, string? VoiNote)
{
    public SourceReference Source => Planned.Source;

    /// <summary>MODEL.md: grey is replicated into R=G=B.</summary>
    public RgbImage ToRgb() => Image.IsGrey ? RgbImage.FromGray(Image.Width, Image.Height, Image.Pixels) : new RgbImage(Image.Width, Image.Height, Image.Pixels);
}
