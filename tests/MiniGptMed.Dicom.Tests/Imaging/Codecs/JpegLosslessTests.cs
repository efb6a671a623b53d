using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Codecs;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.Imaging.Support;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Imaging.Codecs;

/// <summary>
/// JPEG lossless written by DCMTK's dcmcjpeg with every selection value (process 14) and SV1, from native corpus
/// images: our decoder gives back exactly the original samples.
/// </summary>
public sealed class JpegLosslessTests : IDisposable
{
    private static readonly string Corpus = TestPaths.PydicomTestFiles;
    private readonly string _temp = Directory.CreateTempSubdirectory("minigptmed-jpll-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [InlineData("CT_small.dcm", "+e1")] // signed 16-bit CT
    [InlineData("MR_small.dcm", "+e1")]
    [InlineData("SC_rgb_small_odd.dcm", "+e1")] // 3x3 RGB: odd sizes, interleaved components
    [InlineData("SC_rgb_jpeg_dcmd.dcm", "+e1")]
    [InlineData("CT_small.dcm", "+el", "+sv", "2")]
    [InlineData("CT_small.dcm", "+el", "+sv", "3")]
    [InlineData("CT_small.dcm", "+el", "+sv", "4")]
    [InlineData("CT_small.dcm", "+el", "+sv", "5")]
    [InlineData("MR_small.dcm", "+el", "+sv", "6")]
    [InlineData("MR_small.dcm", "+el", "+sv", "7")]
    [InlineData("MR_small.dcm", "+el", "+sv", "1", "+pt", "2")] // point transform: low bits dropped by the encoder
    public void DcmtkLossless_DecodesToTheOriginalSamples(string file, params string[] options)
    {
        var source = Path.Combine(Corpus, file);
        var compressed = Path.Combine(_temp, "jpll.dcm");
        ExternalProcess.Run("dcmcjpeg", [.. options, source, compressed]);

        var original = Decode(source);
        var decoded = Decode(compressed);

        var pointTransform = options.Contains("+pt") ? int.Parse(options[^1], System.Globalization.CultureInfo.InvariantCulture) : 0;
        var mask = ~((1 << pointTransform) - 1);
        Assert.Equal(original.Samples.Length, decoded.Samples.Length);
        for (var i = 0; i < original.Samples.Length; i++)
        {
            if ((original.Samples[i] & mask) != decoded.Samples[i])
            {
                Assert.Fail($"sample {i}: original {original.Samples[i]}, decoded {decoded.Samples[i]}");
            }
        }
    }

    private static DecodedFrame Decode(string path)
    {
        var file = DicomFile.Open(path);
        return DicomPixelData.Create(file.Dataset, file.TransferSyntax.Uid).DecodeFrame(0);
    }
}
