using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.Imaging.Support;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Imaging.Lut;

/// <summary>
/// Rendering line by line as the JPEG lossless decoder produces the lines gives exactly the bytes of decoding the
/// whole frame and then applying the table, for signed, point-transformed, predictor 2..7 and MONOCHROME1 data;
/// streams it cannot take (colour, restart intervals, native) are left to the whole-frame path.
/// </summary>
public sealed class StreamedRenderingTests : IDisposable
{
    private static readonly string Corpus = TestPaths.PydicomTestFiles;
    private readonly string _temp = Directory.CreateTempSubdirectory("minigptmed-stream-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [InlineData("CT_small.dcm", 40, 400, "+e1")] // signed 16-bit
    [InlineData("CT_small.dcm", -600, 1500, "+el", "+sv", "4")]
    [InlineData("MR_small.dcm", 600, 1600, "+el", "+sv", "5")]
    [InlineData("MR_small.dcm", 600, 1600, "+el", "+sv", "7")]
    [InlineData("MR_small.dcm", 1000, 300, "+el", "+sv", "1", "+pt", "2")] // point transform shifted back per line
    public void LineByLine_EqualsWholeFrame(string file, double center, double width, params string[] options)
    {
        var compressed = Path.Combine(_temp, "jpll.dcm");
        ExternalProcess.Run("dcmcjpeg", [.. options, Path.Combine(Corpus, file), compressed]);
        AssertSameAsWholeFrame(compressed, center, width, PresentationLutShape.Identity);
    }

    [Fact]
    public void LineByLine_WithInversePresentationShape_EqualsWholeFrame()
    {
        var compressed = Path.Combine(_temp, "jpll.dcm");
        ExternalProcess.Run("dcmcjpeg", "+e1", Path.Combine(Corpus, "MR_small.dcm"), compressed);
        AssertSameAsWholeFrame(compressed, 600, 1600, PresentationLutShape.Inverse);
    }

    [Theory]
    [InlineData("SC_rgb_small_odd.dcm")] // colour
    [InlineData("MR_small.dcm")] // native
    public void NotStreamable_IsLeftToTheWholeFramePath(string file)
    {
        var path = Path.Combine(Corpus, file);
        if (file.StartsWith("SC_", StringComparison.Ordinal))
        {
            path = Path.Combine(_temp, "rgb_jpll.dcm");
            ExternalProcess.Run("dcmcjpeg", "+e1", Path.Combine(Corpus, file), path);
        }

        var pixels = Open(path);
        var rows = 0;
        Assert.False(pixels.TryDecodeFrameRows(0, (_, _) => rows++));
        Assert.Equal(0, rows);
    }

    [Fact]
    public void RestartIntervals_AreLeftToTheWholeFramePath()
    {
        var path = Path.Combine(_temp, "rst.dcm");
        ExternalProcess.Run(TestPaths.Python, FixtureScripts.Path("jpeg_lossless_restart.py"), Path.Combine(Corpus, "MR_small.dcm"), path, "1", "64");
        var rows = 0;
        Assert.False(Open(path).TryDecodeFrameRows(0, (_, _) => rows++));
        Assert.Equal(0, rows);
    }

    private static void AssertSameAsWholeFrame(string path, double center, double width, PresentationLutShape shape)
    {
        var pixels = Open(path);
        var modality = DicomImageRenderer.ReadModalityLut(pixels.Dataset, pixels.Info.IsSigned);
        var rendering = new GrayscaleRendering(modality, new WindowVoi(center, width, VoiFunction.Linear), shape);

        var streamed = GrayscaleRenderer.RenderStreamed(pixels, 0, rendering);
        var whole = GrayscaleRenderer.Render(pixels.DecodeFrame(0), rendering);

        Assert.NotNull(streamed);
        Assert.Equal(whole, streamed);
        Assert.Contains(whole, p => p is > 0 and < 255);
    }

    private static DicomPixelData Open(string path)
    {
        var file = DicomFile.Open(path);
        return DicomPixelData.Create(file.Dataset, file.TransferSyntax.Uid);
    }
}
