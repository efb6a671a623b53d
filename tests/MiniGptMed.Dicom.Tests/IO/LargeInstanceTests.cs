using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.IO;

/// <summary>A 1 GB instance is read with its pixel data left on disk, and written back by streaming.</summary>
public sealed class LargeInstanceTests
{
    private const long PixelBytes = 1L << 30;

    [Fact]
    public void Read_1GBInstance_KeepsPixelDataOnDisk_AndAllocatesLittle()
    {
        using var temp = TestPaths.CreateTempDirectory();
        var path = temp.File("large.dcm");
        WriteSparseInstance(path);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var file = DicomFile.Open(path);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var pixels = Assert.IsType<DicomValueElement>(file.Dataset.GetElement(DicomTags.PixelData));
        Assert.Equal(PixelBytes, pixels.Length);
        Assert.False(pixels.Buffer.IsInMemory);
        Assert.True(allocated < 10_000_000, $"reading allocated {allocated:N0} bytes");
        Assert.Equal(512, file.Dataset.GetValue<int>(DicomTags.Rows));

        // A frame can be read from the middle without loading the rest.
        var frame = new byte[512 * 512 * 2];
        pixels.Buffer.Read(PixelBytes / 2, frame);
        Assert.Equal(0x5A, frame[0]);
    }

    [Fact]
    public void Save_1GBInstanceToExplicitBigEndian_StreamsAndSwapsWords()
    {
        using var temp = TestPaths.CreateTempDirectory();
        var path = temp.File("large.dcm");
        WriteSparseInstance(path);
        var file = DicomFile.Open(path);

        var copy = temp.File("copy.dcm");
        var before = GC.GetAllocatedBytesForCurrentThread();
        file.Save(copy, DicomTransferSyntax.ExplicitVRBigEndian);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 200_000_000, $"writing allocated {allocated:N0} bytes (streamed in chunks, not the value)");

        var back = DicomFile.Open(copy);
        var pixels = Assert.IsType<DicomValueElement>(back.Dataset.GetElement(DicomTags.PixelData));
        Assert.Equal(PixelBytes, pixels.Length);
        var word = new byte[2];
        pixels.Buffer.Read(PixelBytes / 2, word);
        Assert.Equal(new byte[] { 0x5A, 0x00 }, word);
    }

    /// <summary>A 16-bit 512x512 series of 2048 frames as one instance; the file is sparse except one marked word.</summary>
    private static void WriteSparseInstance(string path)
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, DicomUid.CTImageStorage.Value)
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, DicomUidGenerator.Generate())
            .AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1)
            .AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)512)
            .AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)512)
            .AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, 2048)
            .AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)16);
        var file = new DicomFile(DicomFileWriter.BuildFileMetaInformation(dataset, DicomTransferSyntax.ExplicitVRLittleEndian), dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
        using (var stream = File.Create(path))
        {
            file.Save(stream);
            var header = new byte[12];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(header, 0x7FE0);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), 0x0010);
            header[4] = (byte)'O';
            header[5] = (byte)'W';
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)PixelBytes);
            stream.Write(header);
            var pixelStart = stream.Position;
            stream.SetLength(pixelStart + PixelBytes);
            stream.Position = pixelStart + (PixelBytes / 2);
            stream.WriteByte(0x5A);
        }
    }
}
