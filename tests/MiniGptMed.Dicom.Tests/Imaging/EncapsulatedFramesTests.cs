using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Imaging;

/// <summary>
/// Frames from fragments (PS3.5 A.4): with a Basic Offset Table, with an Extended Offset Table, with neither
/// (one fragment per frame), and one frame split over several fragments; each gives the frames of the original.
/// </summary>
public sealed class EncapsulatedFramesTests
{
    private static readonly string Corpus = TestPaths.PydicomTestFiles;

    private static DicomFile Open(string name) => DicomFile.Open(Path.Combine(Corpus, name));

    private static int[][] DecodeAll(DicomDataset dataset, string transferSyntax)
    {
        var pixels = DicomPixelData.Create(dataset, transferSyntax);
        return [.. Enumerable.Range(0, pixels.Info.NumberOfFrames).Select(f => pixels.DecodeFrame(f).Samples)];
    }

    private static DicomFragmentSequence Fragments(DicomDataset dataset) =>
        Assert.IsType<DicomFragmentSequence>(dataset.GetElement(DicomTags.PixelData));

    [Fact]
    public void TwoFrames_WithoutAnOffsetTable_AreOneFragmentEach()
    {
        var file = Open("SC_rgb_rle_2frame.dcm");
        var expected = DecodeAll(file.Dataset, file.TransferSyntax.Uid);
        var original = Fragments(file.Dataset);
        var dataset = file.Dataset.Clone();
        dataset.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, DicomBuffer.Empty, original.Fragments));

        var frames = DecodeAll(dataset, file.TransferSyntax.Uid);

        Assert.Equal(2, frames.Length);
        Assert.Equal(expected[0], frames[0]);
        Assert.Equal(expected[1], frames[1]);
        Assert.NotEqual(frames[0], frames[1]);
    }

    [Fact]
    public void TwoFrames_WithAnExtendedOffsetTable_AreFoundByIt()
    {
        var file = Open("SC_rgb_rle_2frame.dcm");
        var expected = DecodeAll(file.Dataset, file.TransferSyntax.Uid);
        var fragments = Fragments(file.Dataset).Fragments;
        var dataset = file.Dataset.Clone();
        dataset.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, DicomBuffer.Empty, fragments));
        // PS3.5 A.4: offsets from the first fragment's item tag; each item has an 8-byte header.
        dataset.AddOrUpdate(DicomTags.ExtendedOffsetTable, DicomVR.OV, Words(0, 8 + (ulong)fragments[0].Length));
        dataset.AddOrUpdate(DicomTags.ExtendedOffsetTableLengths, DicomVR.OV, Words((ulong)fragments[0].Length, (ulong)fragments[1].Length));

        var frames = DecodeAll(dataset, file.TransferSyntax.Uid);

        Assert.Equal(expected[0], frames[0]);
        Assert.Equal(expected[1], frames[1]);
    }

    [Fact]
    public void ExtendedOffsetTable_PointingPastTheEnd_IsRejected()
    {
        var file = Open("SC_rgb_rle_2frame.dcm");
        var dataset = file.Dataset.Clone();
        dataset.AddOrUpdate(DicomTags.ExtendedOffsetTable, DicomVR.OV, Words(0, 1_000_000));
        dataset.AddOrUpdate(DicomTags.ExtendedOffsetTableLengths, DicomVR.OV, Words(10, 10));

        var ex = Assert.Throws<DicomImagingException>(() => DicomPixelData.Create(dataset, file.TransferSyntax.Uid).DecodeFrame(1));
        Assert.Contains("Extended Offset Table entry 2 (1000000)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneFrame_SplitOverThreeFragments_IsJoined()
    {
        var file = Open("JPGExtended.dcm");
        var expected = DecodeAll(file.Dataset, file.TransferSyntax.Uid);
        var whole = DicomPixelData.Create(file.Dataset, file.TransferSyntax.Uid).GetFrameBytes(0).ToArray();
        var third = whole.Length / 3 & ~1;
        var dataset = file.Dataset.Clone();
        dataset.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, DicomBuffer.Empty,
        [
            DicomBuffer.FromBytes(whole[..third]),
            DicomBuffer.FromBytes(whole[third..(2 * third)]),
            DicomBuffer.FromBytes(whole[(2 * third)..]),
        ]));

        Assert.Equal(expected[0], DecodeAll(dataset, file.TransferSyntax.Uid)[0]);
    }

    [Fact]
    public void ThreeFragmentsForTwoFrames_WithoutATable_AreRejected()
    {
        var file = Open("SC_rgb_rle_2frame.dcm");
        var fragments = Fragments(file.Dataset).Fragments;
        var dataset = file.Dataset.Clone();
        dataset.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, DicomBuffer.Empty, [.. fragments, fragments[0]]));

        var ex = Assert.Throws<DicomImagingException>(() => DicomPixelData.Create(dataset, file.TransferSyntax.Uid).DecodeFrame(0));
        Assert.Contains("RLE Lossless has 2 frames in 3 fragments, but PS3.5 G.1 requires one fragment per frame", ex.Message, StringComparison.Ordinal);
    }

    private static byte[] Words(params ulong[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BitConverter.GetBytes(values[i]).CopyTo(bytes, i * 8);
        }

        return bytes;
    }
}
