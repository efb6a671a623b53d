using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Codecs;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Imaging;

/// <summary>Broken pixel data gives a DicomImagingException naming the problem and the SOP Instance UID.</summary>
public sealed class BadInputTests
{
    private static readonly string Corpus = TestPaths.PydicomTestFiles;
    private const string Uid = "1.2.826.0.1.3680043.8.498.777";

    private static DicomDataset Image(int rows = 4, int columns = 4, int allocated = 16, int stored = 12, int frames = 1)
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, Uid);
        dataset.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1);
        dataset.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        dataset.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        dataset.AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)rows);
        dataset.AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)columns);
        dataset.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)allocated);
        dataset.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)stored);
        dataset.AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)Math.Min(stored - 1, allocated - 1));
        dataset.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)0);
        return dataset;
    }

    private static DicomImagingException Fails(Action action, string problem)
    {
        var ex = Assert.Throws<DicomImagingException>(action);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        return ex;
    }

    [Fact]
    public void NativePixelData_ShorterThanTheAttributesSay_IsRejected()
    {
        var dataset = Image(frames: 2);
        dataset.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, new byte[40]);
        var ex = Fails(() => DicomPixelData.Create(dataset, PixelDecoderRegistry.ExplicitVrLittleEndian).DecodeFrame(1), "Pixel Data has 40 bytes");
        Assert.Equal(Uid, ex.SopInstanceUid);
        Assert.Contains(Uid, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BitsStoredAboveBitsAllocated_IsRejected()
    {
        var dataset = Image(allocated: 16, stored: 17);
        dataset.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, new byte[32]);
        Fails(() => DicomPixelData.Create(dataset, PixelDecoderRegistry.ExplicitVrLittleEndian), "Bits Stored 17");
    }

    [Fact]
    public void ZeroRows_IsRejected()
    {
        var dataset = Image(rows: 0);
        dataset.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, new byte[32]);
        Fails(() => DicomPixelData.Create(dataset, PixelDecoderRegistry.ExplicitVrLittleEndian), "Rows (0)");
    }

    [Fact]
    public void BasicOffsetTablePointingPastTheEnd_IsRejected()
    {
        var dataset = Image(frames: 2);
        var table = new byte[8];
        BitConverter.GetBytes(100_000u).CopyTo(table, 4);
        dataset.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, DicomBuffer.FromBytes(table),
            [DicomBuffer.FromBytes(new byte[64]), DicomBuffer.FromBytes(new byte[64])]));
        Fails(() => DicomPixelData.Create(dataset, RleLosslessDecoder.TransferSyntaxUid).DecodeFrame(1), "Basic Offset Table entry 2 (100000)");
    }

    [Fact]
    public void RleSegmentOffsetPastTheFrame_IsRejected()
    {
        var dataset = Image(allocated: 8, stored: 8);
        var frame = new byte[80];
        BitConverter.GetBytes(1u).CopyTo(frame, 0);
        BitConverter.GetBytes(5000u).CopyTo(frame, 4);
        dataset.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, DicomBuffer.Empty, [DicomBuffer.FromBytes(frame)]));
        Fails(() => DicomPixelData.Create(dataset, RleLosslessDecoder.TransferSyntaxUid).DecodeFrame(0), "RLE segment 1 offsets 5000");
    }

    [Theory]
    [InlineData("SC_rgb_jpeg_dcmtk.dcm", "JPEG")]
    [InlineData("JPGExtended.dcm", "JPEG")]
    [InlineData("SC_rgb_jpeg_gdcm.dcm", "JPEG")]
    [InlineData("MR_small_jpeg_ls_lossless.dcm", "JPEG-LS")]
    [InlineData("MR_small_jp2klossless.dcm", "JPEG 2000")]
    [InlineData("MR_small_RLE.dcm", "RLE")]
    public void CompressedFrame_CutMidScan_IsRejected(string file, string codec)
    {
        var pixels = Open(file);
        var frame = pixels.GetFrameBytes(0);
        Assert.True(PixelDecoderRegistry.Default.TryGetDecoder(pixels.TransferSyntaxUid, out var decoder));
        var ex = Assert.Throws<DicomImagingException>(() => decoder.Decode(frame[..(frame.Length / 2)], pixels.Info));
        Assert.Contains(codec, ex.Message, StringComparison.Ordinal);
        Assert.Equal(pixels.Info.SopInstanceUid, ex.SopInstanceUid);
    }

    [Fact]
    public void JpegLs_CutWhereCharLs241LoopsForever_IsRejectedBeforeCharLsSeesIt()
    {
        // Regression (found by DecoderFuzzTests): this frame cut to 2478 bytes makes Debian's CharLS 2.4.1 spin
        // in charls_jpegls_decoder_decode_to_buffer; the missing EOI gives it away.
        var pixels = Open("MR_small_jpeg_ls_lossless.dcm");
        var frame = pixels.GetFrameBytes(0)[..2478];
        var decode = Task.Run(() => new CharLsJpegLsDecoder().Decode(frame, pixels.Info));
        var ex = Assert.Throws<AggregateException>(() => decode.Wait(TimeSpan.FromSeconds(20)));
        Assert.Contains("EOI", Assert.IsType<DicomImagingException>(ex.InnerException).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FrameBeyondNumberOfFrames_IsRejected()
    {
        var pixels = Open("SC_rgb_rle_2frame.dcm");
        Fails(() => pixels.DecodeFrame(2), "Frame 3 requested but the image has 2");
    }

    internal static DicomPixelData Open(string file)
    {
        var dicom = DicomFile.Open(Path.Combine(Corpus, file));
        return DicomPixelData.Create(dicom.Dataset, dicom.TransferSyntax.Uid);
    }
}
