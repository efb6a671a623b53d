using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.Imaging.Support;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Imaging;

/// <summary>
/// The windowed 8-bit output equals DCMTK's dcm2pnm / dcmj2pnm with the same window (+Ww centre width) within
/// one grey level, for CT, MR, CR and MONOCHROME1 images, native and JPEG lossless.
/// </summary>
public sealed class WindowedOutputTests : IDisposable
{
    private static readonly string Corpus = TestPaths.PydicomTestFiles;
    private readonly string _temp = Directory.CreateTempSubdirectory("minigptmed-window-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [InlineData("CT_small.dcm", 40, 400)]
    [InlineData("CT_small.dcm", -600, 1500)]
    [InlineData("CT_small.dcm", 400, 1800)]
    [InlineData("MR_small.dcm", 600, 1600)]
    [InlineData("MR_small.dcm", 1000, 300)]
    public void Window_MatchesDcm2pnm(string file, double center, double width) =>
        AssertMatchesDcmtk(Path.Combine(Corpus, file), "dcm2pnm", center, width);

    [Fact]
    public void Window_OnComputedRadiograph_MatchesDcm2pnm()
    {
        var cr = Modified("MR_small.dcm", "cr.dcm", "(0008,0060)=CR", "(0008,0016)=1.2.840.10008.5.1.4.1.1.1");
        AssertMatchesDcmtk(cr, "dcm2pnm", 800, 1200);
    }

    [Fact]
    public void Window_OnMonochrome1_IsInvertedLikeDcm2pnm()
    {
        var m1 = Modified("MR_small.dcm", "m1.dcm", "(0028,0004)=MONOCHROME1");
        var ours = AssertMatchesDcmtk(m1, "dcm2pnm", 600, 1600);
        var plain = Render(Path.Combine(Corpus, "MR_small.dcm"), 600, 1600);
        Assert.Equal(255 - plain.Pixels[0], ours.Pixels[0]);
    }

    [Fact]
    public void Window_OnJpegLosslessCt_MatchesDcmj2pnm()
    {
        var jpeg = Path.Combine(_temp, "ct_jpll.dcm");
        ExternalProcess.Run("dcmcjpeg", "+e1", Path.Combine(Corpus, "CT_small.dcm"), jpeg); // process 14 SV1
        AssertMatchesDcmtk(jpeg, "dcmj2pnm", 40, 400);
    }

    [Fact]
    public void Window_OnLargeJpegLosslessRadiograph_DecodedLineByLine_MatchesDcmj2pnm()
    {
        // 300 x 320 at 12 bits stored: more than 16 pixels per table entry, so Render takes the line-by-line path.
        var native = Path.Combine(_temp, "cr12.dcm");
        ExternalProcess.Run(TestPaths.Python, FixtureScripts.Path("grey12_native.py"), native, "300", "320");
        var jpeg = Path.Combine(_temp, "cr12_jpll.dcm");
        ExternalProcess.Run("dcmcjpeg", "+e1", native, jpeg);
        AssertMatchesDcmtk(jpeg, "dcmj2pnm", 2000, 1000);
    }

    private string Modified(string source, string name, params string[] assignments)
    {
        var target = Path.Combine(_temp, name);
        File.Copy(Path.Combine(Corpus, source), target);
        foreach (var assignment in assignments)
        {
            ExternalProcess.Run("dcmodify", "-nb", "-m", assignment, target);
        }

        return target;
    }

    private OutputImage AssertMatchesDcmtk(string path, string tool, double center, double width)
    {
        var pgm = Path.Combine(_temp, Path.GetFileNameWithoutExtension(path) + $"_{center}_{width}.pgm");
        ExternalProcess.Run(tool, "+Ww", center.ToString(System.Globalization.CultureInfo.InvariantCulture),
            width.ToString(System.Globalization.CultureInfo.InvariantCulture), path, pgm);
        var expected = ReadPgm(pgm, out var w, out var h);
        var ours = Render(path, center, width);
        Assert.Equal((w, h), (ours.Width, ours.Height));
        var worst = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - ours.Pixels[i]));
        }

        Assert.True(worst <= 1, $"{Path.GetFileName(path)} window {center}/{width}: differs from {tool} by up to {worst} grey levels");
        Assert.Contains(ours.Pixels, p => p is > 0 and < 255); // the window shows something, not a blank slate
        return ours;
    }

    private static OutputImage Render(string path, double center, double width)
    {
        var file = DicomFile.Open(path);
        var pixels = DicomPixelData.Create(file.Dataset, file.TransferSyntax.Uid);
        var image = DicomImageRenderer.Render(pixels, 0, WindowPreset.Parse(FormattableString.Invariant($"{center},{width}")));
        Assert.Equal(file.Dataset.GetString(MiniGptMed.Dicom.Data.DicomTags.SOPInstanceUID), image.Source!.SopInstanceUid);
        return image;
    }

    // Netpbm P5: "P5" width height maxval, each followed by whitespace, then the raster.
    private static byte[] ReadPgm(string path, out int width, out int height)
    {
        var bytes = File.ReadAllBytes(path);
        var position = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)bytes[position]))
            {
                position++;
            }

            var start = position;
            while (!char.IsWhiteSpace((char)bytes[position]))
            {
                position++;
            }

            return System.Text.Encoding.ASCII.GetString(bytes, start, position - start);
        }

        Assert.Equal("P5", Token());
        width = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        height = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("255", Token());
        position++;
        return bytes.AsSpan(position, width * height).ToArray();
    }
}
