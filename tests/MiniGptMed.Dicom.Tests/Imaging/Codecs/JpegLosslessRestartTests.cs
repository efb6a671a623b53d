using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.Imaging.Support;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Imaging.Codecs;

/// <summary>
/// JPEG lossless with restart intervals (T.81 E.1.4, H.1.2.1): DCMTK 3.6.7's dcmcjpeg cannot write them, so a fixture
/// script encodes them and DCMTK's dcmdjpeg is the reference decoder; our samples must equal dcmdjpeg's exactly.
/// </summary>
public sealed class JpegLosslessRestartTests : IDisposable
{
    private static readonly string Corpus = TestPaths.PydicomTestFiles;
    private readonly string _temp = Directory.CreateTempSubdirectory("minigptmed-jpll-rst-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [InlineData("MR_small.dcm", 1, 64)] // 64 x 64: a marker after every line, single-component fast path not taken
    [InlineData("MR_small.dcm", 7, 128)] // two lines per interval
    [InlineData("MR_small.dcm", 6, 4096)] // one interval for the whole image: no marker at all
    [InlineData("CT_small.dcm", 4, 128)] // signed 16-bit: each interval restarts from 2^15, long codes
    [InlineData("CT_small.dcm", 2, 384)] // 128 wide: three lines per interval
    [InlineData("SC_rgb_rle.dcm", 1, 100)] // RGB, interleaved MCUs of three samples
    [InlineData("SC_rgb_rle.dcm", 5, 300)]
    public void RestartIntervals_DecodeExactlyAsDcmdjpeg(string file, int predictor, int restartInterval)
    {
        var compressed = Encode(file, predictor, restartInterval);
        var reference = Path.Combine(_temp, "dcmdjpeg.dcm");
        ExternalProcess.Run("dcmdjpeg", compressed, reference);

        var ours = Decode(compressed);
        var theirs = Decode(reference);

        Assert.Equal(theirs.Samples.Length, ours.Samples.Length);
        for (var i = 0; i < theirs.Samples.Length; i++)
        {
            if (theirs.Samples[i] != ours.Samples[i])
            {
                Assert.Fail($"sample {i}: dcmdjpeg {theirs.Samples[i]}, ours {ours.Samples[i]}");
            }
        }

        Assert.Equal(Decode(Path.Combine(Corpus, file)).Samples, ours.Samples);
    }

    [Fact]
    public void RestartInterval_EndingInsideALine_IsRejectedAsDcmdjpegDoes()
    {
        var compressed = Encode("MR_small.dcm", 1, 64);
        var bytes = File.ReadAllBytes(compressed);
        // The DRI segment FF DD 00 04 00 40 (64): make it 100, which ends inside the second line of 64 samples.
        var dri = bytes.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xDD, 0x00, 0x04, 0x00, 0x40]);
        Assert.True(dri > 0);
        bytes[dri + 5] = 100;
        File.WriteAllBytes(compressed, bytes);

        var dcmdjpeg = Assert.Throws<InvalidOperationException>(() => ExternalProcess.Run("dcmdjpeg", compressed, Path.Combine(_temp, "x.dcm")));
        Assert.Contains("restart interval", dcmdjpeg.Message, StringComparison.OrdinalIgnoreCase);
        var ours = Assert.Throws<DicomImagingException>(() => Decode(compressed));
        Assert.Contains("restart interval 100 is not a multiple of the 64 MCUs in a line", ours.Message, StringComparison.Ordinal);
    }

    private string Encode(string file, int predictor, int restartInterval)
    {
        var output = Path.Combine(_temp, $"rst-{predictor}-{restartInterval}.dcm");
        ExternalProcess.Run(TestPaths.Python, FixtureScripts.Path("jpeg_lossless_restart.py"), Path.Combine(Corpus, file), output,
            predictor.ToString(System.Globalization.CultureInfo.InvariantCulture), restartInterval.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return output;
    }

    private static DecodedFrame Decode(string path)
    {
        var file = DicomFile.Open(path);
        return DicomPixelData.Create(file.Dataset, file.TransferSyntax.Uid).DecodeFrame(0);
    }
}
