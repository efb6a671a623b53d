using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.SecondaryCapture;

namespace MiniGptMed.Dicom.Tests.Composition;

/// <summary>Every frame of an original as the model saw it (the renderer's window), grey expanded to RGB.</summary>
internal static class DerivedFrames
{
    public static List<SecondaryCaptureFrame> Of(DicomDataset source)
    {
        var pixelData = DicomPixelData.Create(source, "1.2.840.10008.1.2.1");
        var frames = new List<SecondaryCaptureFrame>();
        for (var f = 0; f < pixelData.Info.NumberOfFrames; f++)
        {
            var image = DicomImageRenderer.Render(pixelData, f, WindowPreset.Dataset);
            var rgb = image.IsGrey ? Expand(image.Pixels) : image.Pixels;
            var spacing = source.GetValues<double>(DicomTags.PixelSpacing);
            frames.Add(new SecondaryCaptureFrame(rgb, image.Source!, spacing.Length == 2 ? new PixelSpacing(spacing[0], spacing[1]) : null, pixelData.Info.NumberOfFrames > 1));
        }

        return frames;
    }

    public static byte[] Expand(byte[] grey)
    {
        var rgb = new byte[grey.Length * 3];
        for (var i = 0; i < grey.Length; i++)
        {
            rgb[3 * i] = rgb[(3 * i) + 1] = rgb[(3 * i) + 2] = grey[i];
        }

        return rgb;
    }
}
