using System.Globalization;
using System.Text.Json;
using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.PresentationState;
using MiniGptMed.Dicom.Tests.Composition;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.PresentationState;

public sealed class PresentationStateTests : IDisposable
{
    private static readonly DateTimeOffset Created = new(2026, 2, 2, 2, 2, 2, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The dciodvfy warnings docs/conformance.md lists as accepted, with its reasons.</summary>
    internal static readonly string[] AcceptedWarnings =
    [
        // General Series (the shared header): see TrueColorSecondaryCaptureTests.AcceptedWarnings.
        "attribute <Laterality>",
    ];

    [Theory]
    [MemberData(nameof(DerivedObjectSources.AllKinds), MemberType = typeof(DerivedObjectSources))]
    public async Task Build_OverEachKindOfOriginal_DciodvfyReportsNoErrors(DerivedObjectSources.Kind kind)
    {
        var source = DerivedObjectSources.Create(kind);
        var path = Save(Build(source, Created));

        var report = await Dciodvfy.CheckAsync(path);

        Assert.Contains(kind == DerivedObjectSources.Kind.Rgb ? "ColorSoftcopyPresentationState" : "GrayscaleSoftcopyPresentationState", report.Text, StringComparison.Ordinal);
        Assert.True(report.Errors.Count == 0, report.Text);
        Assert.True(report.WarningsExcept(AcceptedWarnings).Count == 0, report.Text);
    }

    [Theory]
    [MemberData(nameof(DerivedObjectSources.AllKinds), MemberType = typeof(DerivedObjectSources))]
    public async Task Build_OverEachKindOfOriginal_GraphicDataReadByPydicomAreTheRectanglesOnEveryFrame(DerivedObjectSources.Kind kind)
    {
        var source = DerivedObjectSources.Create(kind);
        var path = Save(Build(source, Created));

        var oracle = await PydicomOracle.ReadAsync([path]);
        var json = oracle.Json(path);

        Assert.Equal("ok", oracle.Status(path));
        var annotations = json.GetProperty("00700001").GetProperty("Value");
        var frames = source.GetValueOrDefault(DicomTags.NumberOfFrames, 1);
        Assert.Equal(frames, annotations.GetArrayLength());
        for (var f = 0; f < frames; f++)
        {
            var item = annotations[f];
            var reference = item.GetProperty("00081140").GetProperty("Value")[0];
            Assert.Equal(source.GetString(DicomTags.SOPInstanceUID), reference.GetProperty("00081155").GetProperty("Value")[0].GetString());
            Assert.Equal(frames > 1, reference.TryGetProperty("00081160", out var frame));
            if (frames > 1)
            {
                Assert.Equal(f + 1, int.Parse(frame.GetProperty("Value")[0].ToString(), CultureInfo.InvariantCulture));
            }

            Assert.Equal("MINIGPTMED_AI", item.GetProperty("00700002").GetProperty("Value")[0].GetString());
            var graphics = item.GetProperty("00700009").GetProperty("Value");
            var boxes = BoxesOn(source);
            Assert.Equal(boxes.Count, graphics.GetArrayLength());
            for (var b = 0; b < boxes.Count; b++)
            {
                var data = graphics[b].GetProperty("00700022").GetProperty("Value").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                Assert.Equal(boxes[b].Box.ToClosedPolyline().Select(v => (double)v), data);
                Assert.Equal("POLYLINE", graphics[b].GetProperty("00700023").GetProperty("Value")[0].GetString());
                Assert.Equal("PIXEL", graphics[b].GetProperty("00700005").GetProperty("Value")[0].GetString());
                Assert.Equal("N", graphics[b].GetProperty("00700024").GetProperty("Value")[0].GetString());
            }

            var texts = item.GetProperty("00700008").GetProperty("Value");
            Assert.Equal(boxes.Select(b => b.Label), texts.EnumerateArray().Select(t => t.GetProperty("00700006").GetProperty("Value")[0].GetString()));
            foreach (var text in texts.EnumerateArray())
            {
                var tl = text.GetProperty("00700010").GetProperty("Value").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                var br = text.GetProperty("00700011").GetProperty("Value").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                Assert.True(tl[0] >= 0 && tl[1] >= 0 && br[0] <= source.GetValue<int>(DicomTags.Columns) && br[1] <= source.GetValue<int>(DicomTags.Rows), $"label box {string.Join(',', tl)}-{string.Join(',', br)} leaves the image");
            }
        }
    }

    [Theory]
    [InlineData(DerivedObjectSources.Kind.CtSigned)]
    [InlineData(DerivedObjectSources.Kind.DxMonochrome2)]
    [InlineData(DerivedObjectSources.Kind.DxMonochrome1)]
    [InlineData(DerivedObjectSources.Kind.NonSquare)]
    public async Task Dcmp2pgm_RendersTheOriginalWithOurState_ItsWindowIsTheAnalysisWindow(DerivedObjectSources.Kind kind)
    {
        var source = DerivedObjectSources.Create(kind);
        var image = DerivedObjectSources.Save(source, _temp.File("image.dcm"));
        var state = Save(Build(source, Created));
        var rendered = _temp.File("rendered.pgm");

        await ExternalProcess.RunCheckedAsync("dcmp2pgm", ["-p", state, image, rendered]);

        // What the analysis saw: our pipeline with the same window, MONOCHROME1 shown inverted.
        var window = WindowOf(kind);
        var ours = DicomImageRenderer.Render(DicomPixelData.Create(source, "1.2.840.10008.1.2.1"), 0, new WindowPreset("analysis", WindowPresetKind.Fixed, window.Center, window.Width));
        var (width, height, pixels) = ReadPgm(await File.ReadAllBytesAsync(rendered));
        Assert.Equal((ours.Width, ours.Height), (width, height));
        var differences = pixels.Zip(ours.Pixels, (a, b) => Math.Abs(a - b)).ToArray();
        Assert.True(differences.Max() <= 1, $"dcmp2pgm differs from our window by up to {differences.Max()}");
    }

    [Theory]
    [MemberData(nameof(DerivedObjectSources.AllKinds), MemberType = typeof(DerivedObjectSources))]
    public async Task Dcmpschk_ChecksOurState_ItsThreePassesPass(DerivedObjectSources.Kind kind)
    {
        var path = Save(Build(DerivedObjectSources.Create(kind), Created));

        // DCMTK's presentation state checker: meta header, dictionary, then the semantics of the state.
        var result = await ExternalProcess.RunAsync("dcmpschk", [path]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Test passed.", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Monochrome1Original_KeepsItsPolarityWithAnInversePresentationLut()
    {
        var mono1 = Build(DerivedObjectSources.Create(DerivedObjectSources.Kind.DxMonochrome1), Created);
        var mono2 = Build(DerivedObjectSources.Create(DerivedObjectSources.Kind.DxMonochrome2), Created);

        Assert.Equal("INVERSE", mono1.GetString(DicomTags.PresentationLUTShape));
        Assert.Equal("IDENTITY", mono2.GetString(DicomTags.PresentationLUTShape));
    }

    [Fact]
    public void Build_CtOriginal_RestatesItsRescaleAndWindowPerImage()
    {
        var state = Build(DerivedObjectSources.Create(DerivedObjectSources.Kind.CtSigned), Created);

        Assert.Equal(-1024.0, state.GetValue<double>(DicomTags.RescaleIntercept));
        Assert.Equal(1.0, state.GetValue<double>(DicomTags.RescaleSlope));
        Assert.Equal("HU", state.GetString(DicomTags.RescaleType));
        var voi = Assert.Single(state.GetSequence(DicomTags.SoftcopyVOILUTSequence)!.Items);
        Assert.Equal((-600.0, 1500.0), (voi.GetValue<double>(DicomTags.WindowCenter), voi.GetValue<double>(DicomTags.WindowWidth)));
        Assert.Single(voi.GetSequence(DicomTags.ReferencedImageSequence)!.Items);
    }

    [Fact]
    public void Build_NonSquarePixels_DisplayedAreaCarriesTheirSpacing()
    {
        var state = Build(DerivedObjectSources.Create(DerivedObjectSources.Kind.NonSquare), Created);

        var area = Assert.Single(state.GetSequence(DicomTags.DisplayedAreaSelectionSequence)!.Items);
        Assert.Equal([0.8, 0.5], area.GetValues<double>(DicomTags.PresentationPixelSpacing));
        Assert.Equal([240, 100], area.GetValues<int>(DicomTags.DisplayedAreaBottomRightHandCorner));
        Assert.Equal("SCALE TO FIT", area.GetString(DicomTags.PresentationSizeMode));
    }

    [Fact]
    public async Task Build_ColorOriginal_IccProfileIsSrgbToLittleCms()
    {
        var state = Build(DerivedObjectSources.Create(DerivedObjectSources.Kind.Rgb), Created);
        var icc = _temp.File("profile.icc");
        await File.WriteAllBytesAsync(icc, state.GetValues<byte[]>(DicomTags.ICCProfile)[0]);

        // LittleCMS (transicc) reads the profile and maps sRGB red and white to Lab (D50) as the sRGB standard's
        // own figures give them: red L 54.29 a 80.8 b 69.9 (Bradford-adapted), white L 100 a 0 b 0.
        var red = await Lab(icc, "255 0 0");
        var white = await Lab(icc, "255 255 255");

        Assert.Equal(54.29, red[0], 0.5);
        Assert.Equal(80.8, red[1], 1.0);
        Assert.Equal(69.9, red[2], 1.0);
        Assert.Equal(100, white[0], 0.2);
        Assert.Equal(0, white[1], 0.2);
        Assert.Equal(0, white[2], 0.2);
        Assert.Equal("SRGB", state.GetString(DicomTags.ColorSpace));
        Assert.False(state.Contains(DicomTags.SoftcopyVOILUTSequence));
        Assert.False(state.Contains(DicomTags.PresentationLUTShape));
    }

    [Fact]
    public void Build_SameInputsTwice_GivesTheSameBytesAndOnlyCreationTimesDiffer()
    {
        var source = DerivedObjectSources.Create(DerivedObjectSources.Kind.MultiFrame);
        var first = File.ReadAllBytes(Save(Build(source, Created)));
        var again = File.ReadAllBytes(Save(Build(source, Created)));
        var later = Build(source, Created.AddHours(3));

        Assert.Equal(first, again);
        var differing = Build(source, Created).Where(e => !later.TryGetElement(e.Tag, out var other) || !SameValue(e, other)).Select(e => e.Tag).ToList();
        Assert.Equal([DicomTags.PresentationCreationTime], differing);
    }

    [Fact]
    public async Task Build_ImagesOfTwoSeries_ReferencesEachUnderItsSeriesAndDciodvfyFindsNoError()
    {
        var first = DerivedObjectSources.Create(DerivedObjectSources.Kind.DxMonochrome2);
        var second = DerivedObjectSources.Create(DerivedObjectSources.Kind.NonSquare);
        PresentationImage[] images =
        [
            PresentationImage.FromSource(first, 1, new PresentationWindow(1500, 2000), BoxesOn(first)),
            PresentationImage.FromSource(second, 1, new PresentationWindow(1000, 1000), []),
        ];

        var state = GrayscaleSoftcopyPresentationStateBuilder.Build(Header(first), images, new PresentationStateContent(Created));
        var report = await Dciodvfy.CheckAsync(Save(state));

        Assert.True(report.Errors.Count == 0, report.Text);
        var series = state.GetSequence(DicomTags.ReferencedSeriesSequence)!.Items;
        Assert.Equal([first.GetString(DicomTags.SeriesInstanceUID), second.GetString(DicomTags.SeriesInstanceUID)], series.Select(s => s.GetString(DicomTags.SeriesInstanceUID)));
        Assert.Equal(second.GetString(DicomTags.SOPInstanceUID), Assert.Single(series[1].GetSequence(DicomTags.ReferencedImageSequence)!.Items).GetString(DicomTags.ReferencedSOPInstanceUID));
        // Two windows, one VOI item each; annotations only where there are boxes; a displayed area per image.
        Assert.Equal(2, state.GetSequence(DicomTags.SoftcopyVOILUTSequence)!.Items.Count);
        Assert.Single(state.GetSequence(DicomTags.GraphicAnnotationSequence)!.Items);
        Assert.Equal(2, state.GetSequence(DicomTags.DisplayedAreaSelectionSequence)!.Items.Count);
    }

    [Fact]
    public void Build_ImagesWithDifferentRescales_IsRefused()
    {
        var ct = DerivedObjectSources.Create(DerivedObjectSources.Kind.CtSigned);
        var image = PresentationImage.FromSource(ct, 1, new PresentationWindow(40, 400), []);
        var other = image with { Source = image.Source with { SopInstanceUid = "2.25.5" }, Rescale = new ModalityRescale(2, -2048, "HU") };

        var error = Assert.Throws<ArgumentException>(() => GrayscaleSoftcopyPresentationStateBuilder.Build(Header(ct), [image, other], new PresentationStateContent(Created)));

        Assert.Contains("different rescales", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_BoxOutsideTheImage_IsRefusedNamingIt()
    {
        var ct = DerivedObjectSources.Create(DerivedObjectSources.Kind.CtSigned);
        var image = PresentationImage.FromSource(ct, 1, null, [new PresentationAnnotation(new PixelRectangle(100, 100, 140, 120), "mass")]);

        var error = Assert.Throws<ArgumentException>(() => GrayscaleSoftcopyPresentationStateBuilder.Build(Header(ct), [image], new PresentationStateContent(Created)));

        Assert.Contains("(100,100)-(140,120) lies outside the 128x128 image", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_BoxWithoutLabel_HasAGraphicButNoTextObjectAndStaysValid()
    {
        var ct = DerivedObjectSources.Create(DerivedObjectSources.Kind.CtSigned);
        var image = PresentationImage.FromSource(ct, 1, new PresentationWindow(40, 400), [new PresentationAnnotation(new PixelRectangle(10, 10, 50, 40), string.Empty)]);

        var state = GrayscaleSoftcopyPresentationStateBuilder.Build(Header(ct), [image], new PresentationStateContent(Created));
        var report = await Dciodvfy.CheckAsync(Save(state));

        Assert.True(report.Errors.Count == 0, report.Text);
        var annotation = Assert.Single(state.GetSequence(DicomTags.GraphicAnnotationSequence)!.Items);
        Assert.Single(annotation.GetSequence(DicomTags.GraphicObjectSequence)!.Items);
        Assert.False(annotation.Contains(DicomTags.TextObjectSequence));
    }

    [Fact]
    public async Task Build_GermanAndChineseLabelsUnderAnAsciiHeader_DeclaresUtf8AndPydicomReadsThemBack()
    {
        var ct = DerivedObjectSources.Create(DerivedObjectSources.Kind.CtSigned);
        ct.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Doe^John");
        var header = Header(ct);
        Assert.Null(header.GetString(DicomTags.SpecificCharacterSet));
        var image = PresentationImage.FromSource(ct, 1, new PresentationWindow(40, 400), [new PresentationAnnotation(new PixelRectangle(10, 20, 50, 60), "Ödem"), new PresentationAnnotation(new PixelRectangle(60, 20, 90, 60), "肺结节")]);

        var path = Save(GrayscaleSoftcopyPresentationStateBuilder.Build(header, [image], new PresentationStateContent(Created)));
        var json = (await PydicomOracle.ReadAsync([path])).Json(path);

        Assert.Equal("ISO_IR 192", json.GetProperty("00080005").GetProperty("Value")[0].GetString());
        var texts = json.GetProperty("00700001").GetProperty("Value")[0].GetProperty("00700008").GetProperty("Value");
        Assert.Equal(["Ödem", "肺结节"], texts.EnumerateArray().Select(t => t.GetProperty("00700006").GetProperty("Value")[0].GetString()));
        Assert.Null(header.GetString(DicomTags.SpecificCharacterSet));
    }

    [Fact]
    public void Build_LowerCaseContentLabel_IsRefused()
    {
        var ct = DerivedObjectSources.Create(DerivedObjectSources.Kind.CtSigned);
        var image = PresentationImage.FromSource(ct, 1, null, []);

        Assert.Throws<ArgumentException>(() => GrayscaleSoftcopyPresentationStateBuilder.Build(Header(ct), [image], new PresentationStateContent(Created, ContentLabel: "ai boxes")));
    }

    internal static List<PresentationAnnotation> BoxesOn(DicomDataset source)
    {
        var rows = source.GetValue<int>(DicomTags.Rows);
        var columns = source.GetValue<int>(DicomTags.Columns);
        return
        [
            new PresentationAnnotation(new PixelRectangle(columns * 0.25, rows * 0.3, columns * 0.5, rows * 0.6), "nodule"),
            // Touches the top edge, so its label goes below it.
            new PresentationAnnotation(new PixelRectangle(columns * 0.6, 0, columns - 0.5, rows * 0.25), "pleural effusion"),
        ];
    }

    private static PresentationWindow WindowOf(DerivedObjectSources.Kind kind) => kind == DerivedObjectSources.Kind.CtSigned
        ? new PresentationWindow(-600, 1500, Explanation: "lung")
        : new PresentationWindow(1500, 2000);

    private static DicomDataset Header(DicomDataset source) =>
        DerivedHeader.For(source, source.GetString(DicomTags.PhotometricInterpretation) == "RGB" ? ColorSoftcopyPresentationStateBuilder.SopClassUid : GrayscaleSoftcopyPresentationStateBuilder.SopClassUid, "PR", "2.25.9101", "2.25.9102");

    private static DicomDataset Build(DicomDataset source, DateTimeOffset created)
    {
        var kind = source.GetString(DicomTags.PhotometricInterpretation) == "RGB" ? DerivedObjectSources.Kind.Rgb : source.GetString(DicomTags.Modality) == "CT" ? DerivedObjectSources.Kind.CtSigned : DerivedObjectSources.Kind.DxMonochrome2;
        var frames = source.GetValueOrDefault(DicomTags.NumberOfFrames, 1);
        var images = Enumerable.Range(1, frames).Select(f => PresentationImage.FromSource(source, f, WindowOf(kind), BoxesOn(source))).ToList();
        var content = new PresentationStateContent(created, ContentCreatorName: "MiniGPT-Med^DICOM Node");
        return kind == DerivedObjectSources.Kind.Rgb
            ? ColorSoftcopyPresentationStateBuilder.Build(Header(source), images, content)
            : GrayscaleSoftcopyPresentationStateBuilder.Build(Header(source), images, content);
    }

    private string Save(DicomDataset dataset) =>
        DerivedObjectSources.Save(dataset, _temp.File(Guid.NewGuid().ToString("N") + ".dcm"));

    private static bool SameValue(DicomElement a, DicomElement b) =>
        a is DicomValueElement va && b is DicomValueElement vb
            ? va.Buffer.GetMemory().Span.SequenceEqual(vb.Buffer.GetMemory().Span)
            : a is DicomSequence && b is DicomSequence;

    private static async Task<double[]> Lab(string profile, string rgb)
    {
        var script = $"echo '{rgb}' | transicc -i '{profile}' -o '*Lab' -t 1 -n";
        var output = await ExternalProcess.RunCheckedAsync("/bin/sh", ["-c", script]);
        return [.. output.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN)
            .Where(double.IsFinite)
            .TakeLast(3)];
    }

    /// <summary>A binary PGM (P5) with maxval 255: width, height, one byte per pixel.</summary>
    private static (int Width, int Height, byte[] Pixels) ReadPgm(byte[] bytes)
    {
        var fields = new List<string>();
        var position = 0;
        while (fields.Count < 4)
        {
            while (char.IsWhiteSpace((char)bytes[position]))
            {
                position++;
            }

            if (bytes[position] == '#')
            {
                while (bytes[position] != '\n')
                {
                    position++;
                }

                continue;
            }

            var start = position;
            while (!char.IsWhiteSpace((char)bytes[position]))
            {
                position++;
            }

            fields.Add(System.Text.Encoding.ASCII.GetString(bytes, start, position - start));
        }

        Assert.Equal("P5", fields[0]);
        Assert.Equal("255", fields[3]);
        var width = int.Parse(fields[1], CultureInfo.InvariantCulture);
        var height = int.Parse(fields[2], CultureInfo.InvariantCulture);
        return (width, height, bytes.AsSpan(position + 1, width * height).ToArray());
    }
}
