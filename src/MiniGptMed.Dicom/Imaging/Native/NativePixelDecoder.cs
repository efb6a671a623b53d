using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MiniGptMed.Dicom.Imaging.Native;

/// <summary>
/// Unpacks uncompressed (native) Pixel Data (PS3.5 8.1.1, 8.2.1): 1, 8, 16 or 32 bits allocated, Bits Stored /
/// High Bit masking and sign extension, Planar Configuration 0 and 1, multi-frame, YBR_FULL_422 subsampling.
/// </summary>
public static class NativePixelDecoder
{
    /// <summary>Decodes frame <paramref name="frameIndex"/> (0-based) of the whole Pixel Data value.</summary>
    /// <param name="bigEndian">True for Explicit VR Big Endian, where OW words are stored most significant byte first.</param>
    public static DecodedFrame DecodeFrame(ReadOnlySpan<byte> pixelData, PixelDataInfo info, int frameIndex, bool bigEndian = false)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.Validate();
        if ((uint)frameIndex >= (uint)info.NumberOfFrames)
        {
            info.Fail($"Frame {frameIndex + 1} requested but the image has {info.NumberOfFrames}");
        }

        // PS3.5 8.1.1: the value holds all frames back to back, padded to even length; less is a broken file.
        if (pixelData.Length < info.NativeBytesAllFrames)
        {
            info.Fail($"Pixel Data has {pixelData.Length} bytes but Rows x Columns x Samples x Frames x Bits needs {info.NativeBytesAllFrames}");
        }

        if (info.BitsAllocated == 1)
        {
            return Unpack1Bit(pixelData, info, frameIndex);
        }

        var frameBytes = pixelData.Slice(checked((int)(info.NativeBytesPerFrame * frameIndex)), (int)info.NativeBytesPerFrame);
        return DecodeFrameBytes(frameBytes, info, bigEndian);
    }

    /// <summary>Decodes exactly one frame's bytes (as produced by a decompressor, little endian).</summary>
    public static DecodedFrame DecodeFrameBytes(ReadOnlySpan<byte> frame, PixelDataInfo info, bool bigEndian = false)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.Validate();
        if (frame.Length < info.NativeBytesPerFrame)
        {
            info.Fail($"Frame has {frame.Length} bytes but {info.NativeBytesPerFrame} are needed");
        }

        if (info.BitsAllocated == 1)
        {
            return Unpack1Bit(frame, info with { NumberOfFrames = 1 }, 0);
        }

        if (info.Photometric == PhotometricInterpretation.YbrFull422)
        {
            return Expand422(frame, info);
        }

        // Every element is written below: skip zeroing what can be tens of megabytes.
        var samples = GC.AllocateUninitializedArray<int>((int)info.SamplesPerFrame);
        switch (info.BitsAllocated)
        {
            case 8:
                Unpack8(frame, info, samples);
                break;
            case 16:
                Unpack16(frame, info, samples, bigEndian);
                break;
            default:
                Unpack32(frame, info, samples, bigEndian);
                break;
        }

        if (info.SamplesPerPixel > 1 && info.PlanarConfiguration == 1)
        {
            samples = Interleave(samples, info.SamplesPerPixel);
        }

        return new DecodedFrame(info.Rows, info.Columns, info.Photometric, info.BitsStored, info.IsSigned, samples);
    }

    private static void Unpack8(ReadOnlySpan<byte> frame, PixelDataInfo info, int[] samples)
    {
        var shift = info.HighBit + 1 - info.BitsStored;
        if (shift == 0 && info.BitsStored == 8 && !info.IsSigned)
        {
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = frame[i];
            }

            return;
        }

        var (mask, extend) = MaskAndExtend(info);
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = Normalise(frame[i], shift, mask, extend);
        }
    }

    private static void Unpack16(ReadOnlySpan<byte> frame, PixelDataInfo info, int[] samples, bool bigEndian)
    {
        var words = MemoryMarshal.Cast<byte, ushort>(frame[..(samples.Length * 2)]);
        var swap = bigEndian == BitConverter.IsLittleEndian;
        var shift = info.HighBit + 1 - info.BitsStored;
        if (!swap && shift == 0 && info.BitsStored == 16)
        {
            if (info.IsSigned)
            {
                var signed = MemoryMarshal.Cast<ushort, short>(words);
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = signed[i];
                }
            }
            else
            {
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = words[i];
                }
            }

            return;
        }

        var (mask, extend) = MaskAndExtend(info);
        if (!swap && shift == 0)
        {
            // The common CT/CR layout (e.g. 12 bits stored from bit 0): a mask, and a sign extension if signed.
            if (extend == 0)
            {
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = words[i] & mask;
                }
            }
            else
            {
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = (words[i] << extend) >> extend;
                }
            }

            return;
        }

        for (var i = 0; i < samples.Length; i++)
        {
            var raw = swap ? BinaryPrimitives.ReverseEndianness(words[i]) : words[i];
            samples[i] = Normalise(raw, shift, mask, extend);
        }
    }

    private static void Unpack32(ReadOnlySpan<byte> frame, PixelDataInfo info, int[] samples, bool bigEndian)
    {
        var words = MemoryMarshal.Cast<byte, uint>(frame[..(samples.Length * 4)]);
        var swap = bigEndian == BitConverter.IsLittleEndian;
        var shift = info.HighBit + 1 - info.BitsStored;
        var mask = info.BitsStored == 32 ? uint.MaxValue : (1u << info.BitsStored) - 1;
        var extend = 32 - info.BitsStored;
        for (var i = 0; i < samples.Length; i++)
        {
            var raw = ((swap ? BinaryPrimitives.ReverseEndianness(words[i]) : words[i]) >> shift) & mask;
            // Unsigned 32-bit samples keep their bit pattern in the int; DecodedFrame.StoredValue reads them back.
            samples[i] = info.IsSigned ? ((int)raw << extend) >> extend : (int)raw;
        }
    }

    private static (int Mask, int Extend) MaskAndExtend(PixelDataInfo info) =>
        ((1 << info.BitsStored) - 1, info.IsSigned ? 32 - info.BitsStored : 0);

    // PS3.5 8.1.1 and Annex D: bits above High Bit and below High Bit - Bits Stored + 1 are not part of the value.
    private static int Normalise(int raw, int shift, int mask, int extend)
    {
        var value = (raw >> shift) & mask;
        return (value << extend) >> extend;
    }

    // PS3.5 8.1.1: 1-bit pixels are packed eight to a byte, first pixel in the least significant bit, and frames
    // follow each other without byte alignment.
    private static DecodedFrame Unpack1Bit(ReadOnlySpan<byte> data, PixelDataInfo info, int frameIndex)
    {
        var samples = new int[info.SamplesPerFrame];
        var bit = info.NativeBitsPerFrame * frameIndex;
        for (var i = 0; i < samples.Length; i++, bit++)
        {
            samples[i] = (data[(int)(bit >> 3)] >> (int)(bit & 7)) & 1;
        }

        if (info.SamplesPerPixel > 1 && info.PlanarConfiguration == 1)
        {
            samples = Interleave(samples, info.SamplesPerPixel);
        }

        return new DecodedFrame(info.Rows, info.Columns, info.Photometric, 1, false, samples);
    }

    // PS3.3 C.7.6.3.1.2 YBR_FULL_422: Y1 Y2 CB CR for each pair of pixels; expanded to YBR_FULL by repeating the chroma.
    private static DecodedFrame Expand422(ReadOnlySpan<byte> frame, PixelDataInfo info)
    {
        if (info.BitsAllocated != 8)
        {
            info.Fail($"Native YBR_FULL_422 with Bits Allocated {info.BitsAllocated} is not supported (8 only)");
        }

        var pixels = (int)info.PixelsPerFrame;
        var samples = new int[pixels * 3];
        for (int pair = 0, src = 0, dst = 0; pair < pixels / 2; pair++, src += 4, dst += 6)
        {
            int cb = frame[src + 2], cr = frame[src + 3];
            samples[dst] = frame[src];
            samples[dst + 1] = cb;
            samples[dst + 2] = cr;
            samples[dst + 3] = frame[src + 1];
            samples[dst + 4] = cb;
            samples[dst + 5] = cr;
        }

        return new DecodedFrame(info.Rows, info.Columns, PhotometricInterpretation.YbrFull, info.BitsStored, false, samples);
    }

    internal static int[] Interleave(int[] planar, int samplesPerPixel)
    {
        var pixels = planar.Length / samplesPerPixel;
        var interleaved = new int[planar.Length];
        for (var s = 0; s < samplesPerPixel; s++)
        {
            var plane = planar.AsSpan(s * pixels, pixels);
            for (var p = 0; p < pixels; p++)
            {
                interleaved[(p * samplesPerPixel) + s] = plane[p];
            }
        }

        return interleaved;
    }
}
