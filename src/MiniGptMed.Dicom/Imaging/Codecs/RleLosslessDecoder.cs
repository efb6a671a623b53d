using System.Buffers.Binary;
using MiniGptMed.Dicom.Imaging.Native;

namespace MiniGptMed.Dicom.Imaging.Codecs;

/// <summary>
/// RLE Lossless (1.2.840.10008.1.2.5), PS3.5 Annex G: each frame is a 64-byte header of up to 15 segment
/// offsets followed by PackBits-coded segments, one per byte plane (most significant byte first) of each sample.
/// </summary>
public sealed class RleLosslessDecoder : IFrameDecoder
{
    public const string TransferSyntaxUid = "1.2.840.10008.1.2.5";

    public string Name => "RLE Lossless";

    public IReadOnlyList<string> TransferSyntaxUids { get; } = [TransferSyntaxUid];

    public bool IsAvailable => true;

    public string? UnavailableReason => null;

    public DecodedFrame Decode(ReadOnlyMemory<byte> frame, PixelDataInfo info) => Decode(frame.Span, info);

    public static DecodedFrame Decode(ReadOnlySpan<byte> frame, PixelDataInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.Validate();
        if (info.BitsAllocated == 1)
        {
            info.Fail("RLE Lossless with Bits Allocated 1 is not supported");
        }

        var bytesPerSample = info.BitsAllocated / 8;
        var segmentCount = info.SamplesPerPixel * bytesPerSample;
        var pixels = (int)info.PixelsPerFrame;

        // PS3.5 G.5: the header is 16 unsigned 32-bit little-endian values.
        if (frame.Length < 64)
        {
            info.Fail($"RLE frame of {frame.Length} bytes is shorter than its 64-byte header");
        }

        var declared = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (declared != segmentCount)
        {
            info.Fail($"RLE header declares {declared} segments but {info.SamplesPerPixel} samples x {bytesPerSample} bytes need {segmentCount}");
        }

        var output = new byte[(long)pixels * segmentCount];
        for (var segment = 0; segment < segmentCount; segment++)
        {
            var start = BinaryPrimitives.ReadUInt32LittleEndian(frame[(4 + (segment * 4))..]);
            var end = segment + 1 < segmentCount
                ? BinaryPrimitives.ReadUInt32LittleEndian(frame[(8 + (segment * 4))..])
                : (uint)frame.Length;
            if (start < 64 || start > end || end > frame.Length)
            {
                info.Fail($"RLE segment {segment + 1} offsets {start}..{end} lie outside the {frame.Length}-byte frame");
            }

            var sample = segment / bytesPerSample;
            // PS3.5 G.2: segments run from the most significant byte down; native order is little endian.
            var byteInSample = bytesPerSample - 1 - (segment % bytesPerSample);
            var stride = segmentCount;
            var offset = (sample * bytesPerSample) + byteInSample;
            DecodeSegment(frame[(int)start..(int)end], output, offset, stride, pixels, segment, info);
        }

        var native = info with { PlanarConfiguration = 0, NumberOfFrames = 1 };
        return NativePixelDecoder.DecodeFrameBytes(output, native);
    }

    // PS3.5 G.3.1: PackBits. A header byte n in 0..127 copies n+1 literal bytes; -1..-127 repeats the next byte
    // 1-n times; -128 is a no-op. Encoders may pad a segment, so output beyond the plane is ignored.
    private static void DecodeSegment(ReadOnlySpan<byte> source, byte[] output, int offset, int stride, int count, int segment, PixelDataInfo info)
    {
        var written = 0;
        var position = offset;
        var i = 0;
        while (written < count && i < source.Length)
        {
            var n = (sbyte)source[i++];
            if (n >= 0)
            {
                var run = n + 1;
                if (i + run > source.Length)
                {
                    info.Fail($"RLE segment {segment + 1} ends inside a literal run");
                }

                run = Math.Min(run, count - written);
                for (var k = 0; k < run; k++, position += stride)
                {
                    output[position] = source[i + k];
                }

                i += n + 1;
                written += run;
            }
            else if (n != -128)
            {
                if (i >= source.Length)
                {
                    info.Fail($"RLE segment {segment + 1} ends inside a replicate run");
                }

                var value = source[i++];
                var run = Math.Min(1 - n, count - written);
                for (var k = 0; k < run; k++, position += stride)
                {
                    output[position] = value;
                }

                written += run;
            }
        }

        if (written < count)
        {
            info.Fail($"RLE segment {segment + 1} decodes to {written} bytes but the frame has {count} pixels");
        }
    }
}
