using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Numerics;
using MiniGptMed.Dicom.Imaging;

namespace MiniGptMed.DicomNode.Imaging;

/// <summary>
/// Writes an <see cref="OutputImage"/> as PNG (W3C PNG, ISO/IEC 15948): 8-bit grey or 8-bit RGB, every row with the
/// Sub filter, deflated by the zlib built into the runtime at a fast level. Favours encoding speed over size.
/// </summary>
/// <remarks>
/// Written here rather than through SkiaSharp: a one-shot <c>render</c> of a CT slice spent 3 M instructions (4.5 ms)
/// loading the 12 MB libSkiaSharp.so just to encode, on a second thread that competes with the decoding on a small
/// machine; the runtime's zlib is already linked in.
/// </remarks>
internal static class PngWriter
{
    // zlib-ng's level 1 (what CompressionLevel.Fastest asks for) is its "quick" strategy, which made the windowed
    // radiograph's PNG 75 kB instead of Skia's 39 kB; level 2 is the classic fast strategy (14 kB; CT slice 30 kB,
    // Skia 32 kB).
    private const int Level = 1;

    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static void Write(OutputImage image, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(destination);
        var channels = image.IsGrey ? 1 : 3;
        var stride = checked(image.Width * channels);
        var pixels = image.Pixels;
        if (image.Width <= 0 || image.Height <= 0)
        {
            // PNG 11.2.2: zero is not a valid width or height. OutputImage already ties the array to the size.
            throw new ArgumentException($"A PNG needs at least one pixel, not {image.Width}x{image.Height}.", nameof(image));
        }

        // PNG 11.2.2: width, height, bit depth 8, colour type 0 (grey) or 2 (RGB), deflate, adaptive filtering,
        // no interlace.
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8;
        header[9] = (byte)(image.IsGrey ? 0 : 2);
        destination.Write(Signature);
        WriteChunk(destination, "IHDR"u8, header);

        // PNG 9.2: filter type 1 (Sub) stores each byte minus the byte one pixel to the left. Skia's default (every
        // filter tried per row, zlib level 6) spent more than the decoding on a radiograph; Sub alone at the fastest
        // level was the cheapest measured there, and no filter at all compressed 45% worse (docs/benchmarks.md).
        using var idat = new MemoryStream(capacity: pixels.Length / 2 + 1024);
        var options = new ZLibCompressionOptions { CompressionLevel = Level };
        using (var zlib = new ZLibStream(idat, options, leaveOpen: true))
        {
            var row = new byte[stride + 1];
            row[0] = 1;
            for (var y = 0; y < image.Height; y++)
            {
                SubFilter(pixels.AsSpan(y * stride, stride), row.AsSpan(1), channels);
                zlib.Write(row);
            }
        }

        WriteChunk(destination, "IDAT"u8, idat.GetBuffer().AsSpan(0, (int)idat.Length));
        WriteChunk(destination, "IEND"u8, []);
    }

    // Bytes wrap modulo 256 (PNG 9.2), as vector subtraction does: a vector at a time where the hardware allows; the
    // byte loop was 5 M of the 10 M instructions a CT slice's PNG cost (callgrind).
    private static void SubFilter(ReadOnlySpan<byte> line, Span<byte> filtered, int channels)
    {
        line[..channels].CopyTo(filtered);
        var i = channels;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<byte>.Count <= line.Length; i += Vector<byte>.Count)
            {
                (new Vector<byte>(line[i..]) - new Vector<byte>(line[(i - channels)..])).CopyTo(filtered[i..]);
            }
        }

        for (; i < line.Length; i++)
        {
            filtered[i] = (byte)(line[i] - line[i - channels]);
        }
    }

    // PNG 5.3: length, type, data, and the CRC-32 (Annex D, the same as ISO 3309's) of type and data.
    private static void WriteChunk(Stream destination, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        destination.Write(word);
        destination.Write(type);
        destination.Write(data);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        destination.Write(word);
    }
}
