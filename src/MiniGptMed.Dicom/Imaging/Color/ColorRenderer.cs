namespace MiniGptMed.Dicom.Imaging.Color;

/// <summary>
/// Colour frames to 8-bit interleaved RGB: RGB as is (scaled down from more than 8 bits), YBR_FULL and
/// YBR_FULL_422 through <see cref="YbrToRgb"/>, PALETTE COLOR through its three LUTs.
/// </summary>
public static class ColorRenderer
{
    public static byte[] ToRgb8(DecodedFrame frame, PaletteColorLut? palette = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var photometric = frame.Photometric;
        if (photometric == PhotometricInterpretation.PaletteColor)
        {
            return palette is null
                ? throw new DicomImagingException("PALETTE COLOR image without Palette Color LUTs")
                : ApplyPalette(frame.Samples, palette);
        }

        if (frame.SamplesPerPixel != 3)
        {
            throw new DicomImagingException($"{photometric} frame cannot be rendered as colour");
        }

        var samples = frame.Samples;
        if (photometric == PhotometricInterpretation.YbrFull || photometric == PhotometricInterpretation.YbrFull422)
        {
            samples = (int[])samples.Clone();
            YbrToRgb.ConvertInPlace(samples, frame.BitsStored);
        }
        else if (photometric != PhotometricInterpretation.Rgb)
        {
            throw new DicomImagingException($"{photometric} frame should have been converted to RGB by its decoder");
        }

        var shift = Math.Max(0, frame.BitsStored - 8);
        var output = new byte[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            output[i] = (byte)Math.Clamp(frame.StoredValue(samples[i]) >> shift, 0, 255);
        }

        return output;
    }

    // PS3.3 C.7.6.3.1.5: 16-bit entries are scaled to 8 bits by their most significant byte.
    private static byte[] ApplyPalette(int[] indices, PaletteColorLut palette)
    {
        var output = new byte[indices.Length * 3];
        var luts = new[] { palette.Red, palette.Green, palette.Blue };
        for (var c = 0; c < 3; c++)
        {
            var lut = luts[c];
            var shift = Math.Max(0, lut.BitsPerEntry - 8);
            for (var i = 0; i < indices.Length; i++)
            {
                output[(i * 3) + c] = (byte)(lut.Map(indices[i]) >> shift);
            }
        }

        return output;
    }
}
