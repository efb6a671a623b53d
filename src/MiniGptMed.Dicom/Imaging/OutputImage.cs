namespace MiniGptMed.Dicom.Imaging;

/// <summary>
/// An 8-bit image ready for model preprocessing and for drawing overlays: grey (1 byte per pixel) or
/// RGB (3 bytes, interleaved), rows top to bottom, with the reference to the frame it shows.
/// </summary>
public sealed class OutputImage
{
    public OutputImage(int width, int height, int channels, byte[] pixels, SourceReference? source)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "An output image is grey (1) or RGB (3).");
        }

        if ((long)width * height * channels != pixels.Length)
        {
            throw new ArgumentException("Pixel buffer does not match width x height x channels.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
        Source = source;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>1 for grey, 3 for RGB.</summary>
    public int Channels { get; }

    public byte[] Pixels { get; }

    public SourceReference? Source { get; }

    public bool IsGrey => Channels == 1;

    public OutputImage WithSource(SourceReference source) => new(Width, Height, Channels, Pixels, source);
}
