using JpegLibrary;
using MiniGptMed.Dicom.Imaging.Color;

namespace MiniGptMed.Dicom.Imaging.Codecs;

/// <summary>
/// JPEG baseline (process 1), extended (2 and 4), lossless process 14 and its selection value 1 (PS3.5 A.4.1):
/// lossless through our <see cref="JpegLosslessDecoder"/>, the DCT processes (and subsampled lossless) through
/// the managed JpegLibrary decoder.
/// </summary>
public sealed class JpegFrameDecoder : IFrameDecoder
{
    public const string Baseline = "1.2.840.10008.1.2.4.50";
    public const string Extended = "1.2.840.10008.1.2.4.51";
    public const string Lossless = "1.2.840.10008.1.2.4.57";
    public const string LosslessSv1 = "1.2.840.10008.1.2.4.70";

    public string Name => "JPEG (JpegLibrary)";

    public IReadOnlyList<string> TransferSyntaxUids { get; } = [Baseline, Extended, Lossless, LosslessSv1];

    public bool IsAvailable => true;

    public string? UnavailableReason => null;

    public DecodedFrame Decode(ReadOnlyMemory<byte> frame, PixelDataInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.Validate();
        var markers = JpegMarkers.Scan(frame.Span);
        if (!markers.HasEndOfImage)
        {
            info.Fail("JPEG stream ends without an EOI marker: the scan is cut short");
        }

        var decoder = new JpegDecoder();
        int[] samples;
        int precision, components;
        bool lossless;
        try
        {
            decoder.SetInput(frame);
            decoder.Identify();
            precision = decoder.Precision;
            components = decoder.NumberOfComponents;
            lossless = decoder.StartOfFrame == JpegMarker.StartOfFrame3;
            if (decoder.Width != info.Columns || decoder.Height != info.Rows || components != info.SamplesPerPixel)
            {
                info.Fail($"JPEG frame is {decoder.Width} x {decoder.Height} x {components} but the data set says {info.Columns} x {info.Rows} x {info.SamplesPerPixel}");
            }

            if (precision > 16 || precision < 2)
            {
                info.Fail($"JPEG precision {precision} is not supported");
            }

            samples = new int[info.SamplesPerFrame];
            if (!lossless || !JpegLosslessDecoder.TryDecode(frame.Span, info, samples, out _))
            {
                decoder.SetOutputWriter(new SampleWriter(samples, info.Columns, info.Rows, components, precision, lossless));
                decoder.Decode();
            }
        }
        catch (DicomImagingException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not DicomImagingException and not OutOfMemoryException)
        {
            // The boundary to a third-party parser of untrusted bytes: whatever it throws on corrupt data
            // (IndexOutOfRange, InvalidData, NullReference, ...) is a bad frame, not a crash of the node.
            throw new DicomImagingException($"JPEG frame cannot be decoded: {ex.Message}", info.SopInstanceUid, ex);
        }

        var photometric = info.Photometric;
        if (components == 3 && !lossless && IsYcbcr(markers, info.Photometric))
        {
            YbrToRgb.ConvertInPlace(samples, precision);
            photometric = PhotometricInterpretation.Rgb;
        }
        else if (photometric == PhotometricInterpretation.YbrFull422)
        {
            // The decoder has upsampled the chroma: what remains is full-resolution YCbCr.
            photometric = PhotometricInterpretation.YbrFull;
        }

        SignExtend(samples, info);
        return new DecodedFrame(info.Rows, info.Columns, photometric, info.BitsStored, info.IsSigned, samples);
    }

    // ITU T.81 does not name the colour space. A complete Adobe APP14 segment says 0 = none, 1 = YCbCr; component
    // identifiers 'R','G','B' say RGB; otherwise the Photometric Interpretation does (PS3.5 8.2.1: YBR_FULL_422 /
    // YBR_FULL for YCbCr, RGB when the encoder did not transform), as DCMTK decides.
    private static bool IsYcbcr(JpegMarkers markers, PhotometricInterpretation photometric)
    {
        if (markers.AdobeTransform is { } transform)
        {
            return transform != 0;
        }

        return !markers.ComponentsNamedRgb && photometric != PhotometricInterpretation.Rgb;
    }

    // PS3.5 8.2.1: signed pixel data is encoded as its two's complement bit pattern in Bits Stored bits.
    private static void SignExtend(int[] samples, PixelDataInfo info)
    {
        if (!info.IsSigned || info.BitsStored >= 32)
        {
            return;
        }

        // Shifting the stored bits to the top and back (arithmetic) copies the sign bit down, a vector at a time.
        var shift = 32 - info.BitsStored;
        var span = samples.AsSpan();
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<int, System.Numerics.Vector<int>>(span);
            for (var v = 0; v < vectors.Length; v++)
            {
                vectors[v] = System.Numerics.Vector.ShiftRightArithmetic(System.Numerics.Vector.ShiftLeft(vectors[v], shift), shift);
            }

            i = vectors.Length * System.Numerics.Vector<int>.Count;
        }

        for (; i < span.Length; i++)
        {
            span[i] = (span[i] << shift) >> shift;
        }
    }

    /// <summary>Receives 8x8 blocks in image coordinates (chroma already upsampled) and interleaves them.</summary>
    private sealed class SampleWriter(int[] samples, int width, int height, int components, int precision, bool lossless) : JpegBlockOutputWriter
    {
        private readonly int _max = (1 << precision) - 1;

        public override void WriteBlock(ref short blockRef, int componentIndex, int x, int y)
        {
            var rows = Math.Min(8, height - y);
            var cols = Math.Min(8, width - x);
            for (var r = 0; r < rows; r++)
            {
                var target = ((((y + r) * width) + x) * components) + componentIndex;
                for (var c = 0; c < cols; c++, target += components)
                {
                    int value = System.Runtime.CompilerServices.Unsafe.Add(ref blockRef, (r * 8) + c);
                    // Lossless samples are P-bit patterns held in a short; lossy ones may overshoot after the IDCT.
                    samples[target] = lossless ? value & _max : Math.Clamp(value, 0, _max);
                }
            }
        }
    }
}
