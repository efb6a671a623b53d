using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.SecondaryCapture;
using MiniGptMed.DicomNode.Results.Drawing;

namespace MiniGptMed.DicomNode.Tests.Results.Drawing;

public sealed class OverlayPainterTests : IDisposable
{
    private static readonly string Corpus = TestPaths.PydicomTestFiles;
    private static readonly DateTimeOffset Created = new(2026, 2, 2, 2, 2, 2, TimeSpan.Zero);
    private readonly string _temp = Directory.CreateTempSubdirectory("minigptmed-overlay-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [InlineData(512, 512)]
    [InlineData(3000, 2500)]
    [InlineData(301, 173)]
    public async Task Paint_BoxesBurnedIntoASecondaryCapture_OutlinesDecodedByPydicomLieOnTheRectangles(int width, int height)
    {
        var image = Gradient(width, height);
        OverlayBox[] boxes =
        [
            new(new PixelRectangle(width * 0.153, height * 0.357, width * 0.402, height * 0.6121), "nodule"),
            new(new PixelRectangle(width * 0.6013, height * 0.2537, width * 0.8841, height * 0.7), "pleural effusion"),
        ];
        var painted = OverlayPainter.Paint(image, boxes);
        var path = SaveSecondaryCapture(painted);

        var decoded = await PydicomPixels(path, width, height);

        var line = OverlayPainter.LineWidth(width, height);
        foreach (var box in boxes.Select(b => b.Box))
        {
            var (left, right, top, bottom) = MeasureOutline(decoded, width, height, box, line);
            Assert.True(Math.Abs(left - box.X1) <= 0.5, $"left edge at {left}, box {box}");
            Assert.True(Math.Abs(right - box.X2) <= 0.5, $"right edge at {right}, box {box}");
            Assert.True(Math.Abs(top - box.Y1) <= 0.5, $"top edge at {top}, box {box}");
            Assert.True(Math.Abs(bottom - box.Y2) <= 0.5, $"bottom edge at {bottom}, box {box}");
        }

        Assert.Empty(painted.Warnings);
    }

    [Theory]
    [InlineData(512, 512)]
    [InlineData(3000, 2500)]
    public void Paint_LabelsAndBanner_ScaleWithTheImageSoTheyReadAlikeOnScreen(int width, int height)
    {
        var box = new PixelRectangle(width * 0.3, height * 0.4, width * 0.5, height * 0.6);
        var painted = OverlayPainter.Paint(Gradient(width, height), [new OverlayBox(box, "Nodule 12 mm")]);

        // The label: white text above the box; its glyphs span at least 1.5% of the shorter side (10 px on 512).
        var labelRows = RowsWithWhite(painted, (int)box.X1, (int)(box.X1 + (width * 0.2)), 0, (int)box.Y1);
        Assert.True(labelRows.Count >= Math.Min(width, height) * 0.015, $"label text spans {labelRows.Count} rows");
        Assert.True(labelRows.Max() < box.Y1 && labelRows.Min() > box.Y1 - (Math.Min(width, height) * 0.08), "label is not just above its box");

        // The banner: white text on a dark band along the bottom, as high relative to the image as the label.
        var bannerRows = RowsWithWhite(painted, 0, width, (int)(height * 0.9), height);
        Assert.True(bannerRows.Count >= Math.Min(width, height) * 0.015, $"banner text spans {bannerRows.Count} rows");
        var bottomLeft = 3 * (((height - 1) * width) + 1);
        Assert.True(painted.Rgb[bottomLeft] < 80, "banner band is not dark");
    }

    [Fact]
    public void Paint_LabelOutsideTheFont_IsDrawnWithQuestionMarksAndSaidSo()
    {
        var painted = OverlayPainter.Paint(Gradient(512, 512), [new OverlayBox(new PixelRectangle(100, 100, 200, 200), "肺结节 nodule")]);

        var warning = Assert.Single(painted.Warnings);
        Assert.Contains("shown as '?'", warning, StringComparison.Ordinal);
        Assert.Equal("??? nodule", EmbeddedFont.Drawable("肺结节 nodule").Text);
        Assert.Equal(("Ödem, Lunge rechts", false), EmbeddedFont.Drawable("Ödem, Lunge rechts"));
    }

    [Fact]
    public void Paint_BoxesReachingOrLyingOutside_AreClippedOrSkippedWithAWordAndNothingThrows()
    {
        var image = Gradient(256, 200);
        var painted = OverlayPainter.Paint(image,
        [
            new OverlayBox(new PixelRectangle(200, 150, 300, 260), "partly out"),
            new OverlayBox(new PixelRectangle(-50, -40, -10, -5), "wholly out"),
            new OverlayBox(new PixelRectangle(double.NaN, 0, 10, 10), "not a number"),
        ]);

        Assert.Equal(3, painted.Warnings.Count);
        Assert.Contains("drawn clipped as (200,150)-(256,200)", painted.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("not drawn", painted.Warnings[1], StringComparison.Ordinal);
        Assert.Contains("not drawn", painted.Warnings[2], StringComparison.Ordinal);
        Assert.Equal(256 * 200 * 3, painted.Rgb.Length);
    }

    [Fact]
    public void Paint_LeavesTheRenderedImageUntouched()
    {
        var image = Gradient(128, 128);
        var before = image.Pixels.ToArray();

        OverlayPainter.Paint(image, [new OverlayBox(new PixelRectangle(10, 10, 60, 60), "x")]);

        Assert.Equal(before, image.Pixels);
    }

    [Fact]
    public void EmbeddedFont_HasAGlyphForEveryLatin1CharacterAndStaysSmall()
    {
        using var font = new SkiaSharp.SKFont(EmbeddedFont.Typeface, 12);
        var latin1 = new string([.. Enumerable.Range(0x20, 0x5F).Concat(Enumerable.Range(0xA0, 0x60)).Select(c => (char)c)]);

        Assert.DoesNotContain((ushort)0, font.GetGlyphs(latin1));
        using var resource = typeof(OverlayPainter).Assembly.GetManifestResourceStream("MiniGptMed.DicomNode.Fonts.DejaVuSans-Latin1.ttf")!;
        Assert.InRange(resource.Length, 10_000, 64_000);
    }

    [Fact]
    public async Task SecondaryCapture_OfARealCtSliceWithTwoBoxes_DciodvfyFindsNoErrorAndDcm2pnmRendersIt()
    {
        var file = DicomFile.Open(Path.Combine(Corpus, "693_J2KI.dcm"));
        var rendered = DicomImageRenderer.Render(DicomPixelData.Create(file.Dataset, file.TransferSyntax.Uid), 0, WindowPreset.Mediastinum);
        var painted = OverlayPainter.Paint(rendered,
        [
            new OverlayBox(new PixelRectangle(150.5, 180.25, 240.75, 260), "hypodense area"),
            new OverlayBox(new PixelRectangle(300, 120, 420.5, 230), "lesion"),
        ]);
        var path = SaveSecondaryCapture(painted, file.Dataset, rendered.Source!);
        var png = Path.Combine(_temp, "sc.png");

        var (code, output) = await Run("dciodvfy", path);
        Assert.DoesNotContain(output.Split('\n'), l => l.StartsWith("Error", StringComparison.Ordinal));
        (code, output) = await Run("dcm2pnm", "+on", "-il", path, png);
        Assert.True(code == 0, output);
        Assert.True(new FileInfo(png).Length > 10_000);

        // The README's picture (docs/images/sc-example.png) is this one: MINIGPTMED_WRITE_DOCS_IMAGES=1 refreshes it.
        if (Environment.GetEnvironmentVariable("MINIGPTMED_WRITE_DOCS_IMAGES") == "1")
        {
            File.Copy(png, Path.Combine(TestPaths.RepositoryRoot, "docs", "images", "sc-example.png"), overwrite: true);
        }
    }

    private static OutputImage Gradient(int width, int height)
    {
        // Dark to bright across, so boxes cross both black and white backgrounds.
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                pixels[(y * width) + x] = (byte)(((x * 255) / width + (y % 7)) & 0xFF);
            }
        }

        return new OutputImage(width, height, 1, pixels, new SourceReference("1.2.840.10008.5.1.4.1.1.1.1", "2.25.42", 1, height, width, new PixelSpacing(0.2, 0.2)));
    }

    /// <summary>
    /// Where each edge of the drawn outline lies, from the pixels alone: the stroke's coverage of a pixel is
    /// (max - min of R,G,B) / 255 over a grey background, and the coverage-weighted mean position across an edge,
    /// sampled along the middle half of that edge, is the centre line of the stroke.
    /// </summary>
    private static (double Left, double Right, double Top, double Bottom) MeasureOutline(byte[] rgb, int width, int height, PixelRectangle box, float line)
    {
        double Coverage(int x, int y)
        {
            var i = 3 * ((y * width) + x);
            var max = Math.Max(rgb[i], Math.Max(rgb[i + 1], rgb[i + 2]));
            var min = Math.Min(rgb[i], Math.Min(rgb[i + 1], rgb[i + 2]));
            return (max - min) / 255.0;
        }

        var reach = (int)Math.Ceiling(line * 2);
        double Across(double edge, bool vertical)
        {
            double sum = 0, weight = 0;
            var (from, to) = vertical ? (box.Y1 + (box.Height / 4), box.Y2 - (box.Height / 4)) : (box.X1 + (box.Width / 4), box.X2 - (box.Width / 4));
            for (var along = (int)from; along < (int)to; along++)
            {
                for (var across = (int)Math.Floor(edge) - reach; across <= (int)Math.Floor(edge) + reach; across++)
                {
                    if (across < 0 || across >= (vertical ? width : height))
                    {
                        continue;
                    }

                    var c = vertical ? Coverage(across, along) : Coverage(along, across);
                    sum += c * (across + 0.5);
                    weight += c;
                }
            }

            return sum / weight;
        }

        return (Across(box.X1, true), Across(box.X2, true), Across(box.Y1, false), Across(box.Y2, false));
    }

    private static List<int> RowsWithWhite(PaintedImage image, int x0, int x1, int y0, int y1)
    {
        var rows = new List<int>();
        for (var y = Math.Max(0, y0); y < Math.Min(image.Height, y1); y++)
        {
            for (var x = Math.Max(0, x0); x < Math.Min(image.Width, x1); x++)
            {
                var i = 3 * ((y * image.Width) + x);
                if (image.Rgb[i] > 240 && image.Rgb[i + 1] > 240 && image.Rgb[i + 2] > 240)
                {
                    rows.Add(y);
                    break;
                }
            }
        }

        return rows;
    }

    private string SaveSecondaryCapture(PaintedImage painted, DicomDataset? source = null, SourceReference? reference = null)
    {
        reference ??= new SourceReference("1.2.840.10008.5.1.4.1.1.1.1", "2.25.42", 1, painted.Height, painted.Width, new PixelSpacing(0.2, 0.2));
        if (source is null)
        {
            source = new DicomDataset();
            source.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, "2.25.41");
            source.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "P1");
        }

        var header = DerivedObjectHeader.Create(
            source,
            new DerivedObjectIdentity(TrueColorSecondaryCaptureBuilder.SopClassUid, "2.25.4242", "2.25.4243", 901, 1, source.GetString(DicomTags.Modality) ?? "DX", "AI-generated, not verified"),
            new DeviceIdentity("2.25.31415926", "minigptmed", "MiniGPT-Med DICOM Node", "minigptmed", "0001", "0.1"),
            Created);
        var frame = new SecondaryCaptureFrame(painted.Rgb, reference, reference.PixelSpacing);
        var dataset = TrueColorSecondaryCaptureBuilder.Build(header, [frame], new SecondaryCaptureOptions(Created, "AI findings burned in"));
        var path = Path.Combine(_temp, Guid.NewGuid().ToString("N") + ".dcm");
        new DicomFile(new DicomDataset(), dataset, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
        return path;
    }

    private async Task<byte[]> PydicomPixels(string path, int width, int height)
    {
        var raw = Path.Combine(_temp, Guid.NewGuid().ToString("N") + ".raw");
        var (code, output) = await Run(TestPaths.Python, "-c", "import sys, pydicom; a = pydicom.dcmread(sys.argv[1]).pixel_array; assert a.dtype == 'uint8' and a.shape[-1] == 3; open(sys.argv[2], 'wb').write(a.tobytes())", path, raw);
        Assert.True(code == 0, output);
        var bytes = await File.ReadAllBytesAsync(raw);
        Assert.Equal(width * height * 3, bytes.Length);
        return bytes;
    }

    private static async Task<(int Code, string Output)> Run(string program, params string[] arguments)
    {
        var result = await ExternalProcess.RunAsync(program, arguments);
        return (result.ExitCode, result.Output);
    }
}
