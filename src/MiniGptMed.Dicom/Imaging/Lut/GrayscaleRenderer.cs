using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MiniGptMed.Dicom.Imaging.Codecs;

namespace MiniGptMed.Dicom.Imaging.Lut;

/// <summary>Presentation LUT Shape (2050,0020), PS3.3 C.11.6.</summary>
public enum PresentationLutShape
{
    Identity,
    Inverse,
}

/// <summary>The settings of the grayscale pipeline for one frame.</summary>
public sealed record GrayscaleRendering(ModalityLut Modality, VoiTransform Voi, PresentationLutShape Shape = PresentationLutShape.Identity);

/// <summary>
/// The grayscale pipeline of PS3.4 Annex N to 8 bits: stored value -> Modality LUT -> VOI LUT -> Presentation
/// LUT (and the MONOCHROME1 inversion, PS3.3 C.7.6.3.1.2) -> 0..255. For up to 16 bits stored the whole
/// chain is folded into one table over the stored range, so each pixel costs a single lookup.
/// </summary>
public static class GrayscaleRenderer
{
    private const int MaxTableBits = 16;

    public static byte[] Render(DecodedFrame frame, GrayscaleRendering rendering)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(rendering);
        if (!frame.Photometric.IsMonochrome)
        {
            throw new DicomImagingException($"Grayscale pipeline applied to a {frame.Photometric} frame");
        }

        var invert = IsInverted(frame.Photometric, rendering);
        var samples = frame.Samples;
        var output = GC.AllocateUninitializedArray<byte>(samples.Length);
        if (frame.BitsStored <= MaxTableBits)
        {
            var min = frame.IsSigned ? -(1 << (frame.BitsStored - 1)) : 0;
            var count = 1 << frame.BitsStored;

            // A 16-bit table costs more than a small image's lookups: fill only the entries the samples use
            // (every sample lies in [lowest, highest], so the rest are never read).
            int first = 0, last = count - 1;
            if (count > 4096 && samples.Length > 0)
            {
                first = samples.Min() - min;
                last = samples.Max() - min;
            }

            Apply(samples, output, BuildTable(rendering, min, count, first, last, invert), min);
        }
        else
        {
            for (var i = 0; i < samples.Length; i++)
            {
                output[i] = ToByte(rendering, frame.StoredValue(samples[i]), invert);
            }
        }

        return output;
    }

    /// <summary>
    /// The same output as <see cref="Render"/> for a frame whose codec decodes line by line: the table is built
    /// first and each line goes through it as soon as it is decoded, so no whole-frame sample array is made (for a
    /// 3000 x 2500 radiograph, 30 MB less to allocate, fault in and read back). Null when the frame cannot stream.
    /// </summary>
    internal static byte[]? RenderStreamed(DicomPixelData pixelData, int frameIndex, GrayscaleRendering rendering, PixelDecoderRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(pixelData);
        ArgumentNullException.ThrowIfNull(rendering);
        var info = pixelData.Info;
        if (!info.Photometric.IsMonochrome || info.BitsStored > MaxTableBits)
        {
            return null;
        }

        var min = info.IsSigned ? -(1 << (info.BitsStored - 1)) : 0;
        var count = 1 << info.BitsStored;
        var table = BuildTable(rendering, min, count, 0, count - 1, IsInverted(info.Photometric, rendering));
        var width = info.Columns;
        var output = GC.AllocateUninitializedArray<byte>(info.Rows * width);

        // Lines arrive as stored bit patterns, not sign-extended: congruent modulo 2^BitsStored, which is all the
        // masked table index depends on.
        return pixelData.TryDecodeFrameRows(frameIndex, (y, row) => Apply(row, output.AsSpan(y * width, width), table, min), registry)
            ? output
            : null;
    }

    // PS3.3 C.7.6.3.1.2: MONOCHROME1 shows the minimum as white; an INVERSE presentation shape flips again.
    private static bool IsInverted(PhotometricInterpretation photometric, GrayscaleRendering rendering) =>
        (photometric == PhotometricInterpretation.Monochrome1) ^ (rendering.Shape == PresentationLutShape.Inverse);

    private static byte[] BuildTable(GrayscaleRendering rendering, int min, int count, int first, int last, bool invert)
    {
        var table = new byte[count];
        for (var i = Math.Max(first, 0); i <= Math.Min(last, count - 1); i++)
        {
            table[i] = ToByte(rendering, min + i, invert);
        }

        return table;
    }

    private static void Apply(ReadOnlySpan<int> samples, Span<byte> output, byte[] table, int min)
    {
        ref var tableRef = ref table[0];
        ref var sample = ref MemoryMarshal.GetReference(samples);
        ref var target = ref MemoryMarshal.GetReference(output);
        var mask = table.Length - 1;
        var length = Math.Min(samples.Length, output.Length);
        var i = 0;

        // The mask keeps every index inside the table whatever the sample, so the lookups need no bounds checks;
        // four pixels per iteration keep the loop overhead off the single lookup each pixel costs.
        for (; i + 4 <= length; i += 4)
        {
            Unsafe.Add(ref target, i) = Unsafe.Add(ref tableRef, (Unsafe.Add(ref sample, i) - min) & mask);
            Unsafe.Add(ref target, i + 1) = Unsafe.Add(ref tableRef, (Unsafe.Add(ref sample, i + 1) - min) & mask);
            Unsafe.Add(ref target, i + 2) = Unsafe.Add(ref tableRef, (Unsafe.Add(ref sample, i + 2) - min) & mask);
            Unsafe.Add(ref target, i + 3) = Unsafe.Add(ref tableRef, (Unsafe.Add(ref sample, i + 3) - min) & mask);
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref target, i) = Unsafe.Add(ref tableRef, (Unsafe.Add(ref sample, i) - min) & mask);
        }
    }

    private static byte ToByte(GrayscaleRendering rendering, double stored, bool invert)
    {
        var y = rendering.Voi.Apply(rendering.Modality.Apply(stored));
        var level = (int)Math.Round(Math.Clamp(y, 0, 1) * 255, MidpointRounding.AwayFromZero);
        return (byte)(invert ? 255 - level : level);
    }
}
