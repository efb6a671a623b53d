using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Network.Dimse;

namespace MiniGptMed.Dicom.Tests.Network.Dimse;

/// <summary>Pixel Data is checked against the Image Pixel module before Success (PS3.5 8.1.1, A.4; PS3.3 C.7.6.3).</summary>
public sealed class PixelDataCheckTests
{
    [Theory]
    [InlineData(512, 512, 16, 1, 0, DimseStatus.DataSetDoesNotMatchSopClass)] // nothing where 512 KiB belong
    [InlineData(512, 512, 16, 1, 512, DimseStatus.DataSetDoesNotMatchSopClass)]
    [InlineData(512, 512, 16, 1, 524288, DimseStatus.Success)] // exact
    [InlineData(3, 3, 8, 1, 10, DimseStatus.Success)] // 9 bytes + the padding byte
    [InlineData(3, 3, 8, 1, 9, DimseStatus.Success)] // odd-length 8-bit: exact, unpadded (read leniently)
    [InlineData(3, 3, 8, 1, 12, DimseStatus.DataSetDoesNotMatchSopClass)] // more than one padding byte
    [InlineData(10, 10, 1, 1, 14, DimseStatus.Success)] // 1-bit: 100 bits packed into 13 bytes, padded to 14
    [InlineData(10, 10, 1, 1, 100, DimseStatus.DataSetDoesNotMatchSopClass)] // 1-bit sent a byte per pixel
    [InlineData(4, 4, 8, 3, 48, DimseStatus.Success)] // RGB
    [InlineData(4, 4, 8, 3, 16, DimseStatus.DataSetDoesNotMatchSopClass)] // RGB sent as one sample
    public async Task NativePixelData_OfTheWrongLength_IsRefusedA900_AndTheRightLengthStored(int rows, int columns, int bits, int samples, int length, ushort expected)
    {
        await using var scp = new StorageScp();
        var uid = DicomUidGenerator.Generate();
        await using (var sender = await RawStore.OpenAsync(scp.Port))
        {
            var response = await sender.SendAsync(RawStore.CtImageStorage, uid, RawStore.WithNativePixels(RawStore.Image(uid, rows, columns, bits, samples), length));
            Assert.Equal(expected, response.Status);
        }

        Assert.Equal(expected == DimseStatus.Success, File.Exists(scp.Store.PathOf(uid)));
        Assert.Empty(scp.TempFiles());
        var warnings = scp.Logs.Warnings;
        if (expected == DimseStatus.Success)
        {
            Assert.Empty(warnings);
        }
        else
        {
            var line = Assert.Single(warnings);
            Assert.Contains("Pixel Data does not fit the Image Pixel module", line.Message);
            Assert.Contains($"Pixel Data is {length} bytes", line.Message);
            Assert.Contains("A900", line.Message);
            Assert.Contains("RAWSCU", line.Message);
            Assert.Contains("127.0.0.1", line.Message);
        }
    }

    [Fact]
    public async Task NativePixelData_CheckedByTheFullParse_WhenTheHeadCheckCannotDecide()
    {
        // Data Set Trailing Padding after Pixel Data sends the check to the full parse of the written file.
        await using var scp = new StorageScp();
        var uid = DicomUidGenerator.Generate();
        var bytes = RawStore.WithNativePixels(RawStore.Image(uid, 512, 512, 16), 512);
        bytes = [.. bytes, 0xFC, 0xFF, 0xFC, 0xFF, (byte)'O', (byte)'B', 0, 0, 4, 0, 0, 0, 0, 0, 0, 0];
        await using var sender = await RawStore.OpenAsync(scp.Port);
        Assert.Equal(DimseStatus.DataSetDoesNotMatchSopClass, (await sender.SendAsync(RawStore.CtImageStorage, uid, bytes)).Status);
    }

    [Theory]
    [InlineData(3, 2, DimseStatus.DataSetDoesNotMatchSopClass)] // three frames in two fragments
    [InlineData(3, 3, DimseStatus.Success)]
    [InlineData(1, 0, DimseStatus.DataSetDoesNotMatchSopClass)] // no fragment at all
    public async Task EncapsulatedPixelData_NeedsAFragmentPerFrame(int frames, int fragments, ushort expected)
    {
        await using var scp = new StorageScp();
        var uid = DicomUidGenerator.Generate();
        await using (var sender = await RawStore.OpenAsync(scp.Port, RawStore.Rle))
        {
            var response = await sender.SendAsync(RawStore.CtImageStorage, uid, RawStore.WithFragments(RawStore.Image(uid, 8, 8, 8, frames: frames), fragments));
            Assert.Equal(expected, response.Status);
        }

        Assert.Equal(expected == DimseStatus.Success, File.Exists(scp.Store.PathOf(uid)));
        if (expected != DimseStatus.Success)
        {
            Assert.Contains("fragment(s) for", Assert.Single(scp.Logs.Warnings).Message);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task KeepUnfitPixelData_StoresTheInstanceMarkedNotAnalysable_AndAnswersB007(bool flush)
    {
        await using var scp = new StorageScp(o =>
        {
            o.KeepUnfitPixelData = true;
            o.FlushToDisk = flush;
        });
        var bad = DicomUidGenerator.Generate();
        var good = DicomUidGenerator.Generate();
        await using (var sender = await RawStore.OpenAsync(scp.Port))
        {
            var response = await sender.SendAsync(RawStore.CtImageStorage, bad, RawStore.WithNativePixels(RawStore.Image(bad, 512, 512, 16), 512));
            Assert.Equal(DimseStatus.DataSetDoesNotMatchSopClassWarning, response.Status);
            Assert.Equal(DimseStatus.Success, (await sender.SendAsync(RawStore.CtImageStorage, good, RawStore.WithNativePixels(RawStore.Image(good, 4, 4, 16), 32))).Status);
        }

        Assert.True(NotAnalysableMark.IsMarked(scp.Store.PathOf(bad)));
        Assert.False(NotAnalysableMark.IsMarked(scp.Store.PathOf(good)));
        if (flush)
        {
            // The mark sits beside the seal in the preamble; recovery still trusts the file.
            Assert.True(InstanceSeal.Verify(scp.Store.PathOf(bad)));
        }

        Assert.Contains("B007", Assert.Single(scp.Logs.Warnings).Message);
    }
}
