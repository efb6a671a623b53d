using MiniGptMed.Dicom.Imaging;
using SkiaSharp;

namespace MiniGptMed.DicomNode.Imaging;

/// <summary>
/// Writes an <see cref="OutputImage"/> as PNG through SkiaSharp (grey as Gray8 straight from the image's own
/// array, RGB as opaque RGBA), favouring encoding speed over file size.
/// </summary>
internal static class PngWriter
{
    /// <summary>
    /// Loads SkiaSharp's native library on a background thread: mapping and relocating the 12 MB libSkiaSharp.so
    /// took 4.5 ms, as long as decoding a CT slice, so a one-shot render overlaps it with reading and decoding.
    /// </summary>
    public static void PreloadInBackground()
    {
        var thread = new Thread(static () =>
        {
            try
            {
                _ = SKImageInfo.PlatformColorType;
            }
            catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or BadImageFormatException)
            {
                // Not here: the encoder reports the same failure on the calling thread.
            }
        })
        { IsBackground = true, Name = "skia-preload" };
        thread.Start();
    }

    public static unsafe void Write(OutputImage image, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        // Skia's default (every filter tried per row, zlib level 6) spent more than the decoding on a radiograph.
        // The Sub filter alone with zlib level 1 was the cheapest measured (callgrind, docs/benchmarks.md) and gave
        // the smallest file among the cheap settings on a noisy 12-bit image; no filter at all compressed 45% worse.
        var options = new SKPngEncoderOptions(SKPngEncoderFilterFlags.Sub, 1);
        if (image.IsGrey)
        {
            fixed (byte* pixels = image.Pixels)
            {
                using var pixmap = new SKPixmap(new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque), (nint)pixels, image.Width);
                Encode(pixmap, options, destination);
            }

            return;
        }

        var rgba = GC.AllocateUninitializedArray<byte>(image.Width * image.Height * 4);
        var source = image.Pixels;
        for (int s = 0, t = 0; t < rgba.Length; s += 3, t += 4)
        {
            rgba[t] = source[s];
            rgba[t + 1] = source[s + 1];
            rgba[t + 2] = source[s + 2];
            rgba[t + 3] = 255;
        }

        fixed (byte* pixels = rgba)
        {
            using var pixmap = new SKPixmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque), (nint)pixels, image.Width * 4);
            Encode(pixmap, options, destination);
        }
    }

    private static void Encode(SKPixmap pixmap, SKPngEncoderOptions options, Stream destination)
    {
        using var data = pixmap.Encode(options) ?? throw new InvalidOperationException("SkiaSharp could not encode the PNG.");
        data.SaveTo(destination);
    }
}
