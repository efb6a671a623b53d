using System.Buffers;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Network.Dimse;

namespace MiniGptMed.Dicom.Tests.Network.Dimse;

public sealed class DataSetHeadCheckTests
{
    private static readonly string CtSmall = Path.Combine(TestPaths.PydicomTestFiles, "CT_small.dcm");
    private static readonly Part10Source Source = Part10Source.Probe(CtSmall);

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(131060)]
    public void ProvesComplete_WholeDataSetInAnyFragmentation_IsTrue(int fragmentSize)
    {
        using var check = Feed(Encode(WithoutPadding(), Source.TransferSyntax), fragmentSize);
        Assert.True(check.ProvesComplete(Source.TransferSyntax, Source.SopClassUid, Source.SopInstanceUid));
    }

    [Fact]
    public void ProvesComplete_ImplicitVR_IsTrue()
    {
        var bytes = Encode(WithoutPadding(), DicomTransferSyntax.ImplicitVRLittleEndian);
        using var check = Feed(bytes, 4096);
        Assert.True(check.ProvesComplete(DicomTransferSyntax.ImplicitVRLittleEndian, Source.SopClassUid, Source.SopInstanceUid));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-1000)]
    [InlineData(2)]
    public void ProvesComplete_PixelDataShortOrLongerThanDeclared_IsFalse(int lengthChange)
    {
        var data = Encode(WithoutPadding(), Source.TransferSyntax);
        var changed = lengthChange < 0 ? data[..(data.Length + lengthChange)] : [.. data, .. new byte[lengthChange]];
        using var check = Feed(changed, 8192);
        Assert.False(check.ProvesComplete(Source.TransferSyntax, Source.SopClassUid, Source.SopInstanceUid));
    }

    [Fact]
    public void ProvesComplete_ElementsAfterPixelData_LeavesItToTheFullParse()
    {
        // CT_small ends with Data Set Trailing Padding (FFFC,FFFC) after Pixel Data.
        using var check = Feed(Part10Bytes.DataSetBytes(CtSmall), 8192);
        Assert.False(check.ProvesComplete(Source.TransferSyntax, Source.SopClassUid, Source.SopInstanceUid));
    }

    [Fact]
    public void ProvesComplete_OtherInstanceOrClass_IsFalse()
    {
        using var check = Feed(Encode(WithoutPadding(), Source.TransferSyntax), 8192);
        Assert.False(check.ProvesComplete(Source.TransferSyntax, Source.SopClassUid, "1.2.3.4"));
        Assert.False(check.ProvesComplete(Source.TransferSyntax, "1.2.840.10008.5.1.4.1.1.4", Source.SopInstanceUid));
    }

    [Fact]
    public void ProvesComplete_HeaderLongerThanTheKeptPrefix_LeavesItToTheFullParse()
    {
        using var check = Feed(WithLongHeader(), 16384);
        Assert.False(check.ProvesComplete(Source.TransferSyntax, Source.SopClassUid, Source.SopInstanceUid));
    }

    [Fact]
    public void ProvesComplete_Garbage_IsFalse()
    {
        using var check = Feed([.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7))], 512);
        Assert.False(check.ProvesComplete(Source.TransferSyntax, Source.SopClassUid, Source.SopInstanceUid));
    }

    private static DicomDataset WithoutPadding()
    {
        var dataset = DicomFile.Open(CtSmall, new DicomReaderOptions { LargeValueThreshold = int.MaxValue }).Dataset.Clone();
        dataset.RemoveAll(e => e.Tag == new DicomTag(0xFFFC, 0xFFFC));
        return dataset;
    }

    /// <summary>CT_small with a 70 KB private value before Pixel Data: the head check cannot see Pixel Data.</summary>
    internal static byte[] WithLongHeader()
    {
        var dataset = WithoutPadding();
        dataset.AddOrUpdate(new DicomTag(0x0029, 0x0010), DicomVR.LO, "MINIGPTMED TEST");
        dataset.AddOrUpdate(new DicomTag(0x0029, 0x1010), DicomVR.OB, new byte[70_000]);
        return Encode(dataset, Source.TransferSyntax);
    }

    private static byte[] Encode(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        using var output = new MemoryStream();
        DicomDatasetWriter.Write(output, dataset, syntax);
        return output.ToArray();
    }

    private static DataSetHeadCheck Feed(byte[] data, int fragmentSize)
    {
        var check = new DataSetHeadCheck();
        for (var offset = 0; offset < data.Length; offset += fragmentSize)
        {
            check.Observe(new ReadOnlySequence<byte>(data, offset, Math.Min(fragmentSize, data.Length - offset)));
        }

        return check;
    }
}
