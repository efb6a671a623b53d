using MiniGptMed.Dicom.Imaging;
using MiniGptMed.DicomNode.Imaging;
using SkiaSharp;

namespace MiniGptMed.DicomNode.Tests.Imaging;

// libpng (inside SkiaSharp) is the independent reader: it checks the chunk CRCs and the zlib stream.
public sealed class PngWriterTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(37, 11)]
    [InlineData(256, 3)]
    [InlineData(70, 2)]
    public void Write_Grey_DecodesToTheSamePixels(int width, int height)
    {
        var pixels = Noise(width * height, seed: width);
        using var decoded = Decode(new OutputImage(width, height, 1, pixels, null));

        Assert.Equal((width, height, SKColorType.Gray8), (decoded.Width, decoded.Height, decoded.ColorType));
        Assert.Equal(pixels, decoded.GetPixelSpan().ToArray());
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(19, 7)]
    [InlineData(45, 3)]
    public void Write_Rgb_DecodesToTheSamePixels(int width, int height)
    {
        var pixels = Noise(width * height * 3, seed: height);
        using var decoded = Decode(new OutputImage(width, height, 3, pixels, null));

        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        for (var i = 0; i < width * height; i++)
        {
            var colour = decoded.GetPixel(i % width, i / width);
            Assert.Equal((pixels[3 * i], pixels[(3 * i) + 1], pixels[(3 * i) + 2], (byte)255), (colour.Red, colour.Green, colour.Blue, colour.Alpha));
        }
    }

    [Fact]
    public void Write_EmptyImage_ThrowsNamingTheSize()
    {
        using var stream = new MemoryStream();
        var ex = Assert.Throws<ArgumentException>(() => PngWriter.Write(new OutputImage(0, 5, 1, [], null), stream));
        Assert.Contains("0x5", ex.Message, StringComparison.Ordinal);
    }

    private static SKBitmap Decode(OutputImage image)
    {
        using var stream = new MemoryStream();
        PngWriter.Write(image, stream);
        return SKBitmap.Decode(stream.ToArray()) ?? throw new InvalidDataException("libpng rejected the PNG.");
    }

    private static byte[] Noise(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
