using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.Imaging.Support;

namespace MiniGptMed.Dicom.Tests.Imaging;

/// <summary>
/// PS3.5 A.4: a multi-frame image whose frames span several fragments, with an empty Basic Offset Table and no
/// Extended Offset Table. The frames are found at the fragments that start a codestream; the references are
/// DCMTK's dcmdjpeg and GDCM's gdcmconv --raw of the same data.
/// </summary>
public sealed class FramesWithoutOffsetTableTests : IDisposable
{
    private const int Frames = 4;
    private readonly string _temp = Directory.CreateTempSubdirectory("minigptmed-frames-").FullName;
    private readonly string _native;

    public FramesWithoutOffsetTableTests()
    {
        _native = Path.Combine(_temp, "native.dcm");
        ExternalProcess.Run(TestPaths.Python, FixtureScripts.Path("multiframe_native.py"), _native, Frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void JpegLossless_InOneKilobyteFragments_DecodesEveryFrameAsDcmdjpeg()
    {
        var compressed = Path.Combine(_temp, "jpll.dcm");
        ExternalProcess.Run("dcmcjpeg", "+e1", "+fs", "1", "-ot", _native, compressed); // 1 KB fragments, empty offset table
        var reference = Path.Combine(_temp, "dcmdjpeg.dcm");
        ExternalProcess.Run("dcmdjpeg", compressed, reference);

        var file = DicomFile.Open(compressed);
        var sequence = Assert.IsType<DicomFragmentSequence>(file.Dataset.GetElement(DicomTags.PixelData));
        Assert.Empty(sequence.GetBasicOffsets());
        Assert.True(sequence.Fragments.Count > 2 * Frames, $"only {sequence.Fragments.Count} fragments");

        AssertFramesEqual(DecodeAll(DicomFile.Open(reference)), DecodeAll(file));
    }

    [Theory]
    [InlineData("--j2k")] // JPEG 2000: SOC FF4F + SIZ FF51 at each frame's first fragment
    [InlineData("--jpegls")] // JPEG-LS: SOI FFD8
    public void Gdcm_FramesSplitIntoThreeFragments_DecodeAsGdcmconvRaw(string codec)
    {
        var compressed = Path.Combine(_temp, "gdcm.dcm");
        ExternalProcess.Run("gdcmconv", codec, _native, compressed);
        var reference = Path.Combine(_temp, "raw.dcm");
        ExternalProcess.Run("gdcmconv", "--raw", compressed, reference);
        var file = DicomFile.Open(compressed);
        var pixels = DicomPixelData.Create(file.Dataset, file.TransferSyntax.Uid);
        var split = new List<DicomBuffer>();
        for (var f = 0; f < Frames; f++)
        {
            var bytes = pixels.GetFrameBytes(f).ToArray();
            var third = (bytes.Length / 3) & ~1; // PS3.5 A.4: fragments have even lengths
            split.AddRange(DicomBuffer.FromBytes(bytes[..third]), DicomBuffer.FromBytes(bytes[third..(2 * third)]), DicomBuffer.FromBytes(bytes[(2 * third)..]));
        }

        var dataset = file.Dataset.Clone();
        dataset.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, DicomBuffer.Empty, split));

        AssertFramesEqual(DecodeAll(DicomFile.Open(reference)), DecodeAll(dataset, file.TransferSyntax.Uid));
    }

    [Fact]
    public void JpegFragments_WithoutTheFirstFrameStart_AreRejected()
    {
        var compressed = Path.Combine(_temp, "jpll.dcm");
        ExternalProcess.Run("dcmcjpeg", "+e1", "+fs", "1", "-ot", _native, compressed);
        var file = DicomFile.Open(compressed);
        var fragments = Assert.IsType<DicomFragmentSequence>(file.Dataset.GetElement(DicomTags.PixelData)).Fragments;
        var dataset = file.Dataset.Clone();
        dataset.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, DicomBuffer.Empty, fragments.Skip(1).ToList()));

        var ex = Assert.Throws<DicomImagingException>(() => DicomPixelData.Create(dataset, file.TransferSyntax.Uid).DecodeFrame(0));
        Assert.Contains($"found {Frames - 1} start-of-codestream markers", ex.Message, StringComparison.Ordinal);
    }

    private static int[][] DecodeAll(DicomFile file) => DecodeAll(file.Dataset, file.TransferSyntax.Uid);

    private static int[][] DecodeAll(DicomDataset dataset, string transferSyntax)
    {
        var pixels = DicomPixelData.Create(dataset, transferSyntax);
        Assert.Equal(Frames, pixels.Info.NumberOfFrames);
        return [.. Enumerable.Range(0, Frames).Select(f => pixels.DecodeFrame(f).Samples)];
    }

    private static void AssertFramesEqual(int[][] expected, int[][] actual)
    {
        for (var f = 0; f < Frames; f++)
        {
            Assert.True(expected[f].SequenceEqual(actual[f]), $"frame {f + 1} differs from the reference");
        }

        Assert.False(actual[0].SequenceEqual(actual[1]), "frames 1 and 2 are the same: the fixture did not vary them");
    }
}
