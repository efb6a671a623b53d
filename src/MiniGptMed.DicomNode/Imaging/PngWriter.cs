using MiniGptMed.Dicom.Imaging;
using SkiaSharp;

namespace MiniGptMed.DicomNode.Imaging;

/// <summary>Writes an <see cref="OutputImage"/> as PNG through SkiaSharp (grey as Gray8, RGB as opaque RGBA).</summary>
internal static class PngWriter
{
    public static void Write(OutputImage image, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        var colorType = image.IsGrey ? SKColorType.Gray8 : SKColorType.Rgba8888;
        using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, colorType, SKAlphaType.Opaque));
        var target = bitmap.GetPixelSpan();
        if (image.IsGrey)
        {
            for (var y = 0; y < image.Height; y++)
            {
                image.Pixels.AsSpan(y * image.Width, image.Width).CopyTo(target.Slice(y * bitmap.RowBytes, image.Width));
            }
        }
        else
        {
            for (var y = 0; y < image.Height; y++)
            {
                var row = target.Slice(y * bitmap.RowBytes, image.Width * 4);
                var source = image.Pixels.AsSpan(y * image.Width * 3, image.Width * 3);
                for (var x = 0; x < image.Width; x++)
                {
                    row[(x * 4) + 0] = source[(x * 3) + 0];
                    row[(x * 4) + 1] = source[(x * 3) + 1];
                    row[(x * 4) + 2] = source[(x * 3) + 2];
                    row[(x * 4) + 3] = 255;
                }
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("SkiaSharp could not encode the PNG.");
        data.SaveTo(destination);
    }
}
