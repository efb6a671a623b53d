using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Color;
using MiniGptMed.Dicom.Imaging.Lut;

namespace MiniGptMed.Dicom.Tests.Imaging.Color;

public sealed class ColorRendererTests
{
    [Fact]
    public void PaletteColor_MapsIndicesThroughTheThreeLuts_Using16BitEntriesMostSignificantByte()
    {
        // PS3.3 C.7.6.3.1.5: first mapped value 10; indices below clamp to the first entry, above to the last.
        var red = new LookupTable(10, 16, [0x0000, 0xFFFF, 0x8000]);
        var green = new LookupTable(10, 16, [0xFFFF, 0x0000, 0x4000]);
        var blue = new LookupTable(10, 8, [1, 2, 3]);
        var frame = new DecodedFrame(1, 4, PhotometricInterpretation.PaletteColor, 8, false, [10, 11, 12, 200]);

        var rgb = ColorRenderer.ToRgb8(frame, new PaletteColorLut(red, green, blue));

        Assert.Equal([0, 255, 1, 255, 0, 2, 128, 64, 3, 128, 64, 3], rgb);
    }

    [Fact]
    public void PaletteColor_WithoutLuts_IsRejected() =>
        Assert.Throws<DicomImagingException>(() =>
            ColorRenderer.ToRgb8(new DecodedFrame(1, 1, PhotometricInterpretation.PaletteColor, 8, false, [0])));

    [Fact]
    public void YbrFull_ConvertsWithTheCcir601Equations()
    {
        // PS3.3 C.7.6.3.1.2: grey stays grey; pure chroma gives the primary-like colours.
        var frame = new DecodedFrame(1, 2, PhotometricInterpretation.YbrFull, 8, false, [128, 128, 128, 76, 85, 255]);
        var rgb = ColorRenderer.ToRgb8(frame);
        Assert.Equal([128, 128, 128], rgb[..3]);
        Assert.InRange(rgb[3], 253, 255); // (76, 85, 255) is the YCbCr of pure red
        Assert.InRange(rgb[4], 0, 2);
        Assert.InRange(rgb[5], 0, 2);
    }

    [Fact]
    public void Rgb16Bit_IsScaledToItsMostSignificantByte()
    {
        var frame = new DecodedFrame(1, 1, PhotometricInterpretation.Rgb, 16, false, [0xFFFF, 0x8000, 0x00FF]);
        Assert.Equal([255, 128, 0], ColorRenderer.ToRgb8(frame));
    }
}
