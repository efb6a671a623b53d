using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Native;

namespace MiniGptMed.Dicom.Tests.Imaging.Native;

/// <summary>Hand-built native pixel data for the layouts the corpus lacks (PS3.5 8.1.1, Annex D).</summary>
public sealed class NativePixelDecoderTests
{
    private static PixelDataInfo Info(int rows, int columns, int allocated, int stored, int high, bool signed = false, int frames = 1,
        PhotometricInterpretation? photometric = null, int planar = 0) => new()
    {
        Rows = rows,
        Columns = columns,
        BitsAllocated = allocated,
        BitsStored = stored,
        HighBit = high,
        IsSigned = signed,
        NumberOfFrames = frames,
        Photometric = photometric ?? PhotometricInterpretation.Monochrome2,
        SamplesPerPixel = (photometric ?? PhotometricInterpretation.Monochrome2).SamplesPerPixel,
        PlanarConfiguration = planar,
        SopInstanceUid = "1.2.3.4",
    };

    [Fact]
    public void Decode_12BitsInHigh16_MasksOverlayBitsAndSignExtends()
    {
        // High Bit 11: bits 12..15 carry garbage (old overlay planes) and must be ignored; 0x0800 is -2048 signed.
        ushort[] words = [0xF800, 0x07FF, 0xA001, 0x0FFF];
        var bytes = new byte[8];
        Buffer.BlockCopy(words, 0, bytes, 0, 8);

        var signed = NativePixelDecoder.DecodeFrame(bytes, Info(2, 2, 16, 12, 11, signed: true), 0);
        var unsigned = NativePixelDecoder.DecodeFrame(bytes, Info(2, 2, 16, 12, 11), 0);

        Assert.Equal([-2048, 2047, 1, -1], signed.Samples);
        Assert.Equal([2048, 2047, 1, 4095], unsigned.Samples);
    }

    [Fact]
    public void Decode_StoredBitsBelowTheHighBit_AreShiftedDown()
    {
        // Bits Stored 6, High Bit 7: the value sits in bits 2..7.
        byte[] bytes = [0b1111_1100, 0b0000_0111, 0b1000_0000, 0];
        var frame = NativePixelDecoder.DecodeFrame(bytes, Info(2, 2, 8, 6, 7, signed: true), 0);
        Assert.Equal([-1, 1, -32, 0], frame.Samples);
    }

    [Fact]
    public void Decode_OneBitFrames_AreNotByteAligned()
    {
        // Two 3x3 frames = 18 bits; frame 2 starts at bit 9 of the first byte pair, least significant bit first.
        var bits = new bool[] { true, false, false, false, true, false, false, false, true, false, true, false, true, false, true, false, true, false };
        var bytes = new byte[4];
        for (var i = 0; i < bits.Length; i++)
        {
            if (bits[i])
            {
                bytes[i / 8] |= (byte)(1 << (i % 8));
            }
        }

        var info = Info(3, 3, 1, 1, 0, frames: 2);
        Assert.Equal([1, 0, 0, 0, 1, 0, 0, 0, 1], NativePixelDecoder.DecodeFrame(bytes, info, 0).Samples);
        Assert.Equal([0, 1, 0, 1, 0, 1, 0, 1, 0], NativePixelDecoder.DecodeFrame(bytes, info, 1).Samples);
    }

    [Fact]
    public void Decode_PlanarConfiguration1_IsInterleaved()
    {
        byte[] planes = [10, 11, 20, 21, 30, 31]; // R R G G B B of two pixels
        var frame = NativePixelDecoder.DecodeFrame(planes, Info(1, 2, 8, 8, 7, photometric: PhotometricInterpretation.Rgb, planar: 1), 0);
        Assert.Equal([10, 20, 30, 11, 21, 31], frame.Samples);
    }

    [Fact]
    public void Decode_YbrFull422_RepeatsChromaForEachPairOfPixels()
    {
        byte[] bytes = [100, 110, 60, 200, 50, 55, 128, 128];
        var frame = NativePixelDecoder.DecodeFrame(bytes, Info(1, 4, 8, 8, 7, photometric: PhotometricInterpretation.YbrFull422), 0);
        Assert.Equal(PhotometricInterpretation.YbrFull, frame.Photometric);
        Assert.Equal([100, 60, 200, 110, 60, 200, 50, 128, 128, 55, 128, 128], frame.Samples);
    }

    [Fact]
    public void Decode_OddLengthFrameWithPadding_ReadsTheThirdFrame()
    {
        // Three 1x3 8-bit frames = 9 bytes, padded to 10 (PS3.5 8.1.1).
        byte[] bytes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0];
        Assert.Equal([7, 8, 9], NativePixelDecoder.DecodeFrame(bytes, Info(1, 3, 8, 8, 7, frames: 3), 2).Samples);
    }

    [Fact]
    public void Decode_32BitUnsigned_KeepsValuesAbove2To31()
    {
        var bytes = BitConverter.GetBytes(0xFFFF_FFF0u);
        var frame = NativePixelDecoder.DecodeFrame(bytes, Info(1, 1, 32, 32, 31), 0);
        Assert.Equal(0xFFFF_FFF0L, frame.StoredValue(frame.Samples[0]));
    }

    [Fact]
    public void Decode_BigEndianWords_AreSwapped()
    {
        byte[] bytes = [0x01, 0x02, 0xFF, 0xFE];
        var frame = NativePixelDecoder.DecodeFrame(bytes, Info(1, 2, 16, 16, 15, signed: true), 0, bigEndian: true);
        Assert.Equal([0x0102, -2], frame.Samples);
    }
}
