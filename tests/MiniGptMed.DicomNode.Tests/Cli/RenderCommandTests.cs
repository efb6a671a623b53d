using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.IO;
using MiniGptMed.DicomNode.Cli;
using SkiaSharp;

namespace MiniGptMed.DicomNode.Tests.Cli;

public sealed class RenderCommandTests : IDisposable
{
    private static readonly string Corpus = TestPaths.PydicomTestFiles;
    private readonly string _temp = Directory.CreateTempSubdirectory("minigptmed-render-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task Render_CtWithLungPreset_WritesThePipelineOutputAsPng()
    {
        var png = Path.Combine(_temp, "ct.png");
        var (code, stdout, _) = await Run(Path.Combine(Corpus, "CT_small.dcm"), "--window", "lung", "--out", png);

        Assert.Equal(0, code);
        Assert.Contains("128x128 grey", stdout, StringComparison.Ordinal);
        var file = DicomFile.Open(Path.Combine(Corpus, "CT_small.dcm"));
        var expected = DicomImageRenderer.Render(DicomPixelData.Create(file.Dataset, file.TransferSyntax.Uid), 0, WindowPreset.Lung);
        using var decoded = SKBitmap.Decode(png);
        Assert.Equal((128, 128), (decoded.Width, decoded.Height));
        for (var y = 0; y < 128; y += 7)
        {
            for (var x = 0; x < 128; x += 5)
            {
                Assert.Equal(expected.Pixels[(y * 128) + x], decoded.GetPixel(x, y).Red);
            }
        }
    }

    [Fact]
    public async Task Render_SecondFrameOfRgbRle_WritesColour()
    {
        var png = Path.Combine(_temp, "rgb.png");
        var (code, stdout, _) = await Run(Path.Combine(Corpus, "SC_rgb_rle_2frame.dcm"), "--frame", "2", "--out", png);

        Assert.Equal(0, code);
        Assert.Contains("frame 2 of 2", stdout, StringComparison.Ordinal);
        using var decoded = SKBitmap.Decode(png);
        // pydicom's SC_rgb images are colour bars with red top left; its second frame is the first inverted: cyan.
        var pixel = decoded.GetPixel(0, 0);
        Assert.True(pixel.Red < 50 && pixel.Green > 200 && pixel.Blue > 200, $"top-left is {pixel}");
    }

    [Fact]
    public async Task Render_RgbRle_PngHoldsEveryPixelOfThePipelineOutput()
    {
        var png = Path.Combine(_temp, "rgb-all.png");
        var (code, _, _) = await Run(Path.Combine(Corpus, "SC_rgb_rle.dcm"), "--out", png);

        Assert.Equal(0, code);
        var file = DicomFile.Open(Path.Combine(Corpus, "SC_rgb_rle.dcm"));
        var expected = DicomImageRenderer.Render(DicomPixelData.Create(file.Dataset, file.TransferSyntax.Uid), 0, WindowPreset.Dataset);
        using var decoded = SKBitmap.Decode(png);
        for (var y = 0; y < expected.Height; y++)
        {
            for (var x = 0; x < expected.Width; x++)
            {
                var at = ((y * expected.Width) + x) * 3;
                var pixel = decoded.GetPixel(x, y);
                Assert.Equal((expected.Pixels[at], expected.Pixels[at + 1], expected.Pixels[at + 2], (byte)255), (pixel.Red, pixel.Green, pixel.Blue, pixel.Alpha));
            }
        }
    }

    [Fact]
    public async Task Render_WithTimings_ReportsEachPhaseOnStderr()
    {
        var png = Path.Combine(_temp, "timed.png");
        var (code, stdout, stderr) = await Run(Path.Combine(Corpus, "MR_small.dcm"), "--timings", "--out", png);

        Assert.Equal(0, code);
        Assert.Contains("64x64 grey", stdout, StringComparison.Ordinal);
        Assert.Matches(@"read [0-9.]+ ms, decode \+ window [0-9.]+ ms, PNG [0-9.]+ ms", stderr);
        Assert.True(File.Exists(png));
    }

    [Fact]
    public async Task Render_TruncatedFile_FailsWithAMessageAndNoPng()
    {
        var png = Path.Combine(_temp, "bad.png");
        var (code, _, stderr) = await Run(Path.Combine(Corpus, "MR_truncated.dcm"), "--out", png);

        Assert.Equal(1, code);
        Assert.Contains("minigptmed render:", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(png));
    }

    [Fact]
    public async Task Render_UnknownWindow_IsAUsageError()
    {
        var (code, stdout, stderr) = await Run(Path.Combine(Corpus, "CT_small.dcm"), "--window", "liver", "--out", Path.Combine(_temp, "x.png"));
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("--window: Window 'liver' is neither a preset", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_temp, "x.png")));
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(["render", .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
