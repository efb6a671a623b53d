using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.IO;

/// <summary>
/// Values of 64 KiB or more stay in their file and are read by path and offset later. A store replaces an instance
/// received again by renaming the new file over the old name: a reader of the old file must not get the new file's
/// bytes at the old offsets.
/// </summary>
public sealed class ReplacedFileTests
{
    [Fact]
    public void ALazyValue_OfAFileReplacedByRename_ThrowsFileReplaced_InsteadOfReadingTheNewFile()
    {
        using var temp = TestPaths.CreateTempDirectory();
        var path = temp.File("instance.dcm");
        Write(path, fill: 0x11, leadingValue: "short");
        var opened = DicomFile.Open(path);
        var pixels = Assert.IsType<DicomValueElement>(opened.Dataset.GetElement(DicomTags.PixelData));
        Assert.False(pixels.Buffer.IsInMemory);
        Assert.Equal(0x11, pixels.Buffer.GetMemory().Span[0]);

        // The same instance again, with a longer value before Pixel Data: the old offsets now fall on other bytes.
        var next = temp.File("instance.part");
        Write(next, fill: 0x22, leadingValue: "a longer value than before");
        File.Move(next, path, overwrite: true);

        var error = Assert.Throws<FileReplacedException>(() => pixels.Buffer.GetMemory());
        Assert.Equal(opened.Path, error.FilePath);
        Assert.Throws<FileReplacedException>(() => pixels.Buffer.CopyTo(Stream.Null, 1));
        // Opened again, the new file reads right.
        Assert.Equal(0x22, Assert.IsType<DicomValueElement>(DicomFile.Open(path).Dataset.GetElement(DicomTags.PixelData)).Buffer.GetMemory().Span[0]);
    }

    [Fact]
    public void ALazyValue_OfAFileLeftAlone_ReadsAsOften_AsAsked()
    {
        using var temp = TestPaths.CreateTempDirectory();
        var path = temp.File("instance.dcm");
        Write(path, fill: 0x33, leadingValue: "x");
        var pixels = Assert.IsType<DicomValueElement>(DicomFile.Open(path).Dataset.GetElement(DicomTags.PixelData));
        Assert.All(new[] { pixels.Buffer.GetMemory(), pixels.Buffer.GetMemory() }, m => Assert.Equal(0x33, m.Span[^1]));
    }

    private static void Write(string path, byte fill, string leadingValue)
    {
        var pixels = new byte[256 * 512];
        Array.Fill(pixels, fill);
        var dataset = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7")
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.10.1484.8.1")
            .AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, leadingValue)
            .AddOrUpdate<ushort>(DicomTags.Rows, DicomVR.US, 256)
            .AddOrUpdate<ushort>(DicomTags.Columns, DicomVR.US, 512)
            .AddOrUpdate(DicomTags.PixelData, DicomVR.OB, pixels);
        new DicomFile(new DicomDataset(), dataset, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
    }
}
