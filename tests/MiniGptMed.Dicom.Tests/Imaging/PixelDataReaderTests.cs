using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Codecs;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.Imaging.Support;

namespace MiniGptMed.Dicom.Tests.Imaging;

/// <summary>Frames read by our Part 10 reader and frame extraction decode exactly as the pydicom-split frames.</summary>
[Collection(CorpusCollection.Name)]
public sealed class PixelDataReaderTests(CorpusFramesFixture corpus)
{
    [Fact]
    public void EveryDecodableCorpusImage_ReadThroughOurReader_DecodesLikeTheReference()
    {
        var compared = 0;
        foreach (var entry in corpus.Entries.Where(e => e.Ref is not null))
        {
            var file = DicomFile.Open(entry.Path);
            var pixels = DicomPixelData.Create(file.Dataset, file.TransferSyntax.Uid);
            Assert.Equal(entry.Info.Frames, pixels.Info.NumberOfFrames);
            for (var f = 0; f < pixels.Info.NumberOfFrames; f++)
            {
                if (!entry.IsNative)
                {
                    Assert.True(pixels.GetFrameBytes(f).Span.SequenceEqual(entry.Frame(f)), $"{entry.Name} frame {f + 1} bytes differ from pydicom's");
                }

                var ours = pixels.DecodeFrame(f);
                var theirs = CorpusDecodeTests.DecodeOurs(entry, f);
                Assert.True(ours.Samples.AsSpan().SequenceEqual(theirs.Samples), $"{entry.Name} frame {f + 1}");
            }

            compared++;
        }

        Assert.True(compared >= 45, $"only {compared} files compared");
    }

    [Fact]
    public void Registry_OffersWhatTheCorpusNeeds()
    {
        foreach (var entry in corpus.Entries.Where(e => e.Ref is not null))
        {
            Assert.True(PixelDecoderRegistry.Default.CanDecode(entry.TransferSyntax), entry.TransferSyntax);
        }
    }
}
