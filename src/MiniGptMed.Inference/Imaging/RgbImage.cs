namespace MiniGptMed.Inference.Imaging;

/// <summary>An 8-bit interleaved RGB image (row-major, R,G,B per pixel): what the DICOM layer or a PNG decoder hands over.</summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] pixels)
    {
        Width = width;
        Height = height;
        Pixels = pixels ?? throw new ArgumentNullException(nameof(pixels));
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    /// <summary>MODEL.md "Preprocessing": grayscale is replicated into R=G=B.</summary>
    public static RgbImage FromGray(int width, int height, ReadOnlySpan<byte> gray)
    {
        if (width <= 0 || height <= 0 || gray.Length != (long)width * height)
        {
            throw new InvalidRequestException($"grayscale buffer of {gray.Length} bytes does not hold {width}x{height} pixels");
        }

        var rgb = new byte[gray.Length * 3];
        for (int i = 0; i < gray.Length; i++)
        {
            rgb[3 * i] = rgb[(3 * i) + 1] = rgb[(3 * i) + 2] = gray[i];
        }

        return new RgbImage(width, height, rgb);
    }

    /// <summary>Throws <see cref="InvalidRequestException"/> naming what is wrong with the buffer or size.</summary>
    public void Validate(int minSide, int maxSide)
    {
        if (Width < minSide || Height < minSide)
        {
            throw new InvalidRequestException($"image is {Width}x{Height}; at least {minSide}x{minSide} pixels are needed");
        }

        if (Width > maxSide || Height > maxSide)
        {
            throw new InvalidRequestException($"image is {Width}x{Height}; at most {maxSide} pixels per side are accepted");
        }

        if (Pixels.Length != (long)Width * Height * 3)
        {
            throw new InvalidRequestException(
                $"image buffer has {Pixels.Length} bytes, {Width}x{Height} RGB needs {(long)Width * Height * 3}");
        }
    }
}
