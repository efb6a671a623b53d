using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Codecs;
using MiniGptMed.Dicom.Imaging.Native;
using MiniGptMed.Dicom.Tests.Imaging.Support;
using Xunit.Abstractions;

namespace MiniGptMed.Dicom.Tests.Imaging;

/// <summary>
/// Every image of pydicom's corpus that a reference tool can decode: our samples equal GDCM's or DCMTK's
/// decoding exactly for lossless syntaxes, and within a stated tolerance for lossy ones.
/// </summary>
[Collection(CorpusCollection.Name)]
public sealed class CorpusDecodeTests(CorpusFramesFixture corpus, ITestOutputHelper output)
{
    private static readonly HashSet<string> Lossy =
        [JpegFrameDecoder.Baseline, JpegFrameDecoder.Extended, OpenJpegJ2kDecoder.LossyUid, CharLsJpegLsDecoder.NearLosslessUid];

    // Lossy: JpegLibrary and IJG (DCMTK) use different IDCTs, which ITU T.83 allows: at most 2 levels apart,
    // 0.05 on average. Where the chroma is subsampled in both directions (4:2:0), IJG interpolates the chroma
    // ("fancy upsampling") and JpegLibrary replicates it, so at sharp colour edges a sample may differ by up to
    // 80 levels; the mean still stays below 3.
    private const int LossyMaxDifference = 2;
    private const double LossyMeanDifference = 0.05;
    private const int SubsampledMaxDifference = 80;
    private const double SubsampledMeanDifference = 3;

    internal static DecodedFrame DecodeOurs(CorpusEntry entry, int frame)
    {
        var info = entry.Info.ToPixelDataInfo();
        if (entry.IsNative)
        {
            return NativePixelDecoder.DecodeFrame(entry.Native, info, frame, entry.BigEndian);
        }

        Assert.True(PixelDecoderRegistry.Default.TryGetDecoder(entry.TransferSyntax, out var decoder), $"no decoder for {entry.TransferSyntax}");
        return decoder.Decode(entry.Frame(frame), info);
    }

    [Fact]
    public void LosslessImages_DecodeExactlyAsTheReference()
    {
        var compared = Compare(lossy: false);
        // Native (explicit/implicit/big endian/deflated, 1..32 bits, planar, 422) plus RLE, JPEG-LS, JPEG 2000, JPEG lossless.
        Assert.True(compared >= 30, $"only {compared} lossless images compared");
    }

    [Fact]
    public void LossyImages_DecodeWithinToleranceOfTheReference()
    {
        var compared = Compare(lossy: true);
        Assert.True(compared >= 15, $"only {compared} lossy images compared");
    }

    // ITU T.81 B.2.2: the frame header gives each component's sampling factors (H << 4 | V).
    private static bool IsChroma420(byte[] jpeg)
    {
        for (var i = 2; i + 12 < jpeg.Length; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                return jpeg[i + 9] == 3 && (jpeg[i + 11] & 0x0F) == 2 && (jpeg[i + 11] >> 4) == 2;
            }
        }

        return false;
    }

    private int Compare(bool lossy)
    {
        var failures = new List<string>();
        var compared = 0;
        foreach (var entry in corpus.Entries.Where(e => e.Ref is not null && Lossy.Contains(e.TransferSyntax) == lossy))
        {
            var reference = entry.ReferenceSamples();
            var perFrame = reference.Length / entry.Info.Frames;
            for (var f = 0; f < entry.Info.Frames; f++)
            {
                DecodedFrame ours;
                try
                {
                    ours = DecodeOurs(entry, f);
                }
                catch (DicomImagingException ex)
                {
                    failures.Add($"{entry.Name} frame {f + 1}: {ex.Message}");
                    continue;
                }

                Assert.Equal(entry.Ref!.Photometric == "YBR_FULL_422" ? "YBR_FULL" : entry.Ref.Photometric, ours.Photometric.Term);
                var expected = reference.AsSpan(f * perFrame, perFrame);
                if (expected.Length != ours.Samples.Length)
                {
                    failures.Add($"{entry.Name} frame {f + 1}: {ours.Samples.Length} samples, reference {expected.Length}");
                    continue;
                }

                // Reference tools write the stored bit pattern (GDCM leaves a signed 13-bit value unextended in 16
                // bits), so lossless samples are compared as Bits Stored patterns.
                var mask = entry.Info.BitsStored >= 32 ? -1L : (1L << entry.Info.BitsStored) - 1;
                long sum = 0, max = 0;
                var firstDiff = -1;
                for (var i = 0; i < expected.Length; i++)
                {
                    var d = lossy ? Math.Abs((long)expected[i] - ours.Samples[i]) : ((expected[i] ^ ours.Samples[i]) & mask) == 0 ? 0 : 1;
                    sum += d;
                    if (d > max)
                    {
                        max = d;
                        firstDiff = firstDiff < 0 ? i : firstDiff;
                    }
                }

                var mean = sum / (double)expected.Length;
                output.WriteLine($"{entry.Name} [{entry.TransferSyntax}] frame {f + 1} vs {entry.RefTool}: max {max}, mean {mean:F3}");
                var subsampled = lossy && !entry.IsNative && IsChroma420(entry.Frame(f));
                var ok = !lossy ? max == 0
                    : subsampled ? max <= SubsampledMaxDifference && mean <= SubsampledMeanDifference
                    : max <= LossyMaxDifference && mean <= LossyMeanDifference;
                if (!ok)
                {
                    failures.Add($"{entry.Name} frame {f + 1}: max difference {max}, mean {mean:F3}, first at sample {firstDiff} (ours {ours.Samples[firstDiff]}, ref {expected[firstDiff]})");
                }
            }

            compared++;
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        return compared;
    }
}
