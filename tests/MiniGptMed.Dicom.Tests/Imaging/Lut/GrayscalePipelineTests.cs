using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Lut;

namespace MiniGptMed.Dicom.Tests.Imaging.Lut;

/// <summary>The PS3.4 Annex N stages, checked against the formulas of PS3.3 C.11.</summary>
public sealed class GrayscalePipelineTests
{
    private static DecodedFrame Frame(params int[] samples) =>
        new(1, samples.Length, PhotometricInterpretation.Monochrome2, 16, true, samples);

    [Fact]
    public void LinearWindow_FollowsPs33Formula()
    {
        // C.11.2.1.2.1 with c = 40, w = 400: below -159.5 black, above 239.5 white.
        var voi = new WindowVoi(40, 400);
        Assert.Equal(0, voi.Apply(-160));
        Assert.Equal(1, voi.Apply(240));
        Assert.Equal(((40 - 39.5) / 399) + 0.5, voi.Apply(40), 12);
    }

    [Fact]
    public void LinearExactAndSigmoid_FollowTheirFormulas()
    {
        Assert.Equal(0.75, new WindowVoi(0, 100, VoiFunction.LinearExact).Apply(25), 12);
        Assert.Equal(0, new WindowVoi(0, 100, VoiFunction.LinearExact).Apply(-50));
        Assert.Equal(1 / (1 + Math.Exp(-1.0)), new WindowVoi(0, 100, VoiFunction.Sigmoid).Apply(25), 12);
        Assert.Throws<DicomImagingException>(() => new WindowVoi(0, 0.5));
        Assert.Throws<DicomImagingException>(() => VoiTransform.ParseFunction("CUBIC"));
    }

    [Fact]
    public void Render_RescaleThenWindow_GivesHounsfieldWindowing()
    {
        // Stored 0..2000 with intercept -1024: -1024 HU black, 40 HU mid grey, 1000 HU white in a 40/400 window.
        var frame = Frame(0, 1064, 2024);
        var bytes = GrayscaleRenderer.Render(frame, new GrayscaleRendering(new RescaleModalityLut(1, -1024), new WindowVoi(40, 400)));
        Assert.Equal(0, bytes[0]);
        Assert.InRange(bytes[1], 127, 128);
        Assert.Equal(255, bytes[2]);
    }

    [Fact]
    public void Render_Monochrome1_IsInverted_AndInverseShapeFlipsBack()
    {
        var m1 = new DecodedFrame(1, 2, PhotometricInterpretation.Monochrome1, 8, false, [0, 255]);
        var rendering = new GrayscaleRendering(ModalityLut.Identity, new RangeVoi(0, 255));
        Assert.Equal([255, 0], GrayscaleRenderer.Render(m1, rendering));
        Assert.Equal([0, 255], GrayscaleRenderer.Render(m1, rendering with { Shape = PresentationLutShape.Inverse }));
    }

    [Fact]
    public void Render_ModalityAndVoiLutTables_AreLookedUpAndClampedAtTheEnds()
    {
        // Modality LUT: first mapped 10, entries 100, 200, 300; VOI LUT: first mapped 100, 12-bit entries.
        var modality = new TableModalityLut(new LookupTable(10, 16, [100, 200, 300]));
        var voi = new TableVoi(new LookupTable(100, 12, [0, .. Enumerable.Repeat(2048, 100), .. Enumerable.Repeat(4095, 101)]));
        var bytes = GrayscaleRenderer.Render(Frame(0, 11, 50), new GrayscaleRendering(modality, voi));
        Assert.Equal([0, 128, 255], bytes);
    }

    [Fact]
    public void LookupTable_FromDescriptor_HonoursZeroMeaning65536AndSignedFirstValue()
    {
        var data = new ushort[65536];
        data[65535] = 7;
        var table = LookupTable.FromDescriptor([0, 0xFC00, 16], data, signedInput: true);
        Assert.Equal(65536, table.Entries.Length);
        Assert.Equal(-1024, table.FirstValueMapped);
        Assert.Equal(7, table.Map(100000));
    }

    [Fact]
    public void AutoWindow_IgnoresTheOutliers()
    {
        var samples = Enumerable.Range(0, 1000).Select(i => i % 100).ToArray();
        samples[0] = -2000; // CT padding
        samples[1] = 30000; // a hot pixel
        var voi = AutoWindow.Compute(new DecodedFrame(1, samples.Length, PhotometricInterpretation.Monochrome2, 16, true, samples), ModalityLut.Identity);
        Assert.Equal(0, voi.Minimum);
        Assert.Equal(99, voi.Maximum);
    }

    [Theory]
    [InlineData("lung", -600, 1500)]
    [InlineData("Mediastinum", 40, 400)]
    [InlineData("bone", 400, 1800)]
    [InlineData("brain", 40, 80)]
    [InlineData("abdomen", 40, 350)]
    [InlineData("-500.5,1200", -500.5, 1200)]
    public void WindowPreset_ParsesNamesAndNumbers(string text, double center, double width)
    {
        var preset = WindowPreset.Parse(text);
        Assert.Equal((WindowPresetKind.Fixed, center, width), (preset.Kind, preset.Center, preset.Width));
    }

    [Fact]
    public void WindowPreset_DatasetFallsBackToAutoWhenTheFileHasNoWindow()
    {
        var frame = Frame(0, 10, 20);
        Assert.IsType<RangeVoi>(WindowPreset.Dataset.Resolve(frame, ModalityLut.Identity, datasetVoi: null));
        var own = new WindowVoi(5, 10);
        Assert.Same(own, WindowPreset.Dataset.Resolve(frame, ModalityLut.Identity, own));
        Assert.Throws<FormatException>(() => WindowPreset.Parse("40,0"));
        Assert.Throws<FormatException>(() => WindowPreset.Parse("liver"));
    }
}
