using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Codecs;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.Imaging.Support;
using Xunit.Abstractions;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Imaging.Codecs;

/// <summary>
/// Mutated compressed frames of the corpus (flipped bytes, cut streams, spliced garbage) either decode or fail
/// with a DicomImagingException, and every attempt ends promptly: no other exception, no crash, no hang.
/// </summary>
public sealed class DecoderFuzzTests(ITestOutputHelper output)
{
    private static readonly string[] CompressedFiles =
    [
        "MR_small_RLE.dcm", "SC_rgb_rle_16bit.dcm", "rtdose_rle_1frame.dcm",
        "JPGExtended.dcm", "SC_rgb_jpeg_dcmtk.dcm", "SC_rgb_dcmtk_+eb+cy+np.dcm", "SC_rgb_jpeg_gdcm.dcm",
        "MR_small_jpeg_ls_lossless.dcm",
        "MR_small_jp2klossless.dcm", "GDCMJ2K_TextGBR.dcm", "693_J2KI.dcm",
    ];

    private const int MutationsPerFile = 40;

    // Generous: the largest frame decodes in milliseconds; only a hang would come near.
    private static readonly TimeSpan PerDecodeLimit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task MutatedFrames_DecodeOrFailCleanly()
    {
        var random = new Random(20261128);
        int decoded = 0, rejected = 0;
        // Single-component JPEG lossless (our own decoder's fast path) is not in the corpus: DCMTK makes one.
        var temp = Directory.CreateTempSubdirectory("minigptmed-fuzz-").FullName;
        var lossless = Path.Combine(temp, "mr_jpll.dcm");
        ExternalProcess.Run("dcmcjpeg", "+e1", Path.Combine(TestPaths.PydicomTestFiles, "MR_small.dcm"), lossless);
        foreach (var file in CompressedFiles.Append(lossless))
        {
            var dicom = DicomFile.Open(Path.IsPathRooted(file) ? file : Path.Combine(TestPaths.PydicomTestFiles, file));
            var pixels = DicomPixelData.Create(dicom.Dataset, dicom.TransferSyntax.Uid);
            Assert.True(PixelDecoderRegistry.Default.TryGetDecoder(pixels.TransferSyntaxUid, out var decoder));
            var original = pixels.GetFrameBytes(0).ToArray();
            for (var m = 0; m < MutationsPerFile; m++)
            {
                var mutated = Mutate(original, random);
                var attempt = Task.Run(() => decoder.Decode(mutated, pixels.Info));
                try
                {
                    await attempt.WaitAsync(PerDecodeLimit);
                    decoded++;
                }
                catch (DicomImagingException)
                {
                    rejected++;
                }
                catch (TimeoutException)
                {
                    Assert.Fail($"{file} mutation {m}: decoding did not end within {PerDecodeLimit}");
                }
                catch (Exception ex)
                {
                    Assert.Fail($"{file} mutation {m}: {ex.GetType().Name}: {ex.Message}");
                }
            }
        }

        Directory.Delete(temp, recursive: true);
        output.WriteLine($"{decoded} mutated frames decoded, {rejected} rejected");
        Assert.Equal((CompressedFiles.Length + 1) * MutationsPerFile, decoded + rejected);
        Assert.True(rejected > 0, "no mutation was rejected: the mutator is not biting");
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0: // flip a few bytes, anywhere (headers included)
                for (var i = random.Next(1, 9); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
                }

                return bytes;
            case 1: // cut the stream
                return bytes[..random.Next(0, bytes.Length)];
            case 2: // overwrite a run with garbage
                var start = random.Next(bytes.Length);
                var length = Math.Min(bytes.Length - start, random.Next(1, 64));
                random.NextBytes(bytes.AsSpan(start, length));
                return bytes;
            default: // corrupt the first 64 bytes, where the headers are
                for (var i = random.Next(1, 5); i > 0; i--)
                {
                    bytes[random.Next(Math.Min(64, bytes.Length))] = (byte)random.Next(256);
                }

                return bytes;
        }
    }
}
