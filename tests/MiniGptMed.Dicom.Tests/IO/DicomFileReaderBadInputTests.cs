using System.Buffers.Binary;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.IO;

/// <summary>Bad input gets a DicomFormatException naming the element and offset: never a crash, a hang or a huge allocation.</summary>
public sealed class DicomFileReaderBadInputTests
{
    private static byte[] CtSmall() => File.ReadAllBytes(Path.Combine(TestPaths.PydicomTestFiles, "CT_small.dcm"));

    [Fact]
    public void Read_EveryTruncatedPrefixOfARealFile_ThrowsFormatExceptionOrReadsLess()
    {
        var bytes = CtSmall();
        var full = DicomFileReader.Read(new MemoryStream(bytes));
        for (var length = 0; length < bytes.Length; length += length < 2000 ? 1 : 97)
        {
            using var stream = new MemoryStream(bytes, 0, length);
            try
            {
                var file = DicomFileReader.Read(stream);

                // A cut exactly between two elements is a shorter, valid data set.
                Assert.True(file.Dataset.Count < full.Dataset.Count, $"prefix {length} read as the whole file");
            }
            catch (DicomFormatException ex)
            {
                Assert.True(ex.Offset <= length, $"prefix {length}: offset {ex.Offset} is past the end");
            }
        }
    }

    [Fact]
    public void Read_ValueLengthOf4GB_ThrowsNamingTheElementBeforeAllocating()
    {
        // (0010,0010) PN with a 16-bit length cannot claim 4 GB; an OB with a 32-bit length can.
        var dataset = Explicit(Element(0x0009, 0x0010, "LO", "ACME"u8.ToArray()), LongHeader(0x0009, 0x1001, "OB", 0xFFFFFFF0));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<DicomFormatException>(() => DicomFileReader.ReadDataset(new MemoryStream(dataset), DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000);
        Assert.Equal(new DicomTag(0x0009, 0x1001), ex.Tag);
        Assert.Contains("exceeds", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ValueLengthPastTheEndOfANonSeekableStream_ThrowsWithoutAllocatingTheClaim()
    {
        var dataset = Explicit(LongHeader(0x0009, 0x1001, "OB", 0x7FFFFFF0), new byte[100]);
        using var stream = new NonSeekableStream(dataset);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<DicomFormatException>(() => DicomFileReader.ReadDataset(stream, DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 20_000_000, "allocated by the declared length");
        Assert.Contains("ends inside a value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownVR_ThrowsNamingTagAndOffset()
    {
        var dataset = Explicit(Element(0x0008, 0x0060, "CS", "CT"u8.ToArray()), Element(0x0010, 0x0010, "ZZ", "X^Y "u8.ToArray()));
        var ex = Assert.Throws<DicomFormatException>(() => DicomFileReader.ReadDataset(new MemoryStream(dataset), DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.Equal(new DicomTag(0x0010, 0x0010), ex.Tag);
        Assert.Equal(10, ex.Offset);
        Assert.Contains("0x5A5A", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OddLength_IsReadWithAWarning_AndRejectedWhenStrict()
    {
        var dataset = Explicit(Element(0x0010, 0x0020, "LO", "ABC"u8.ToArray()));
        var file = DicomFileReader.Read(new MemoryStream(WithPreamble(dataset)));
        Assert.Equal("ABC", file.Dataset.GetString(DicomTags.PatientID));
        Assert.Contains(file.Warnings, w => w.Contains("Odd value length 3", StringComparison.Ordinal));

        var ex = Assert.Throws<DicomFormatException>(() => DicomFileReader.Read(new MemoryStream(WithPreamble(dataset)), new DicomReaderOptions { Strict = true }));
        Assert.Equal(DicomTags.PatientID, ex.Tag);
    }

    [Fact]
    public void Read_GarbageAfterTheDataSet_ThrowsNamingTheOffset()
    {
        var dataset = Explicit(Element(0x0008, 0x0060, "CS", "CT"u8.ToArray()));
        var garbage = dataset.Concat(new byte[] { 0x12, 0x34, 0x56 }).ToArray();
        var ex = Assert.Throws<DicomFormatException>(() => DicomFileReader.ReadDataset(new MemoryStream(garbage), DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.Equal(dataset.Length, ex.Offset);
    }

    [Fact]
    public void Read_SequencesNested10000Deep_ThrowsInsteadOfOverflowingTheStack()
    {
        // (0040,A730) ContentSequence, undefined length, each item holding the next sequence.
        using var stream = new MemoryStream();
        for (var i = 0; i < 10_000; i++)
        {
            stream.Write(LongHeader(0x0040, 0xA730, "SQ", 0xFFFFFFFF));
            stream.Write(ItemHeader(0xE000, 0xFFFFFFFF));
        }

        stream.Position = 0;
        var ex = Assert.Throws<DicomFormatException>(() => DicomFileReader.ReadDataset(stream, DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.Contains("nest deeper than 128", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ItemLengthPastItsSequence_Throws()
    {
        var sequence = LongHeader(0x0008, 0x1115, "SQ", 16).Concat(ItemHeader(0xE000, 100)).Concat(new byte[8]).ToArray();
        var ex = Assert.Throws<DicomFormatException>(() => DicomFileReader.ReadDataset(new MemoryStream(sequence), DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.Equal(new DicomTag(0x0008, 0x1115), ex.Tag);
    }

    [Fact]
    public void Read_FragmentWithUndefinedLength_Throws()
    {
        var pixels = LongHeader(0x7FE0, 0x0010, "OB", 0xFFFFFFFF).Concat(ItemHeader(0xE000, 0)).Concat(ItemHeader(0xE000, 0xFFFFFFFF)).ToArray();
        var ex = Assert.Throws<DicomFormatException>(() => DicomFileReader.ReadDataset(new MemoryStream(pixels), DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.Equal(DicomTags.PixelData, ex.Tag);
    }

    [Fact]
    public void Read_TextThatIsNotDicom_ThrowsNotADicomFile()
    {
        var ex = Assert.Throws<DicomFormatException>(() => DicomFileReader.Read(new MemoryStream("{\"00100010\": {\"vr\": \"PN\"}}"u8.ToArray())));
        Assert.Contains("Not a DICOM file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CorruptDeflatedDataSet_ThrowsFormatException()
    {
        var meta = DicomFileWriter.BuildFileMetaInformation(new DicomDataset(), DicomTransferSyntax.DeflatedExplicitVRLittleEndian);
        using var stream = new MemoryStream();
        DicomFileWriter.WritePreambleAndMeta(stream, meta);
        stream.Write([0xFF, 0xFF, 0xFF, 0x00, 0x01, 0x02, 0x03, 0x04]);
        stream.Position = 0;
        Assert.Throws<DicomFormatException>(() => DicomFileReader.Read(stream));
    }

    internal static byte[] Explicit(params byte[][] elements) => elements.SelectMany(e => e).ToArray();

    internal static byte[] Element(ushort group, ushort element, string vr, byte[] value)
    {
        var bytes = new byte[8 + value.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, group);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), element);
        bytes[4] = (byte)vr[0];
        bytes[5] = (byte)vr[1];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), (ushort)value.Length);
        value.CopyTo(bytes, 8);
        return bytes;
    }

    internal static byte[] LongHeader(ushort group, ushort element, string vr, uint length)
    {
        var bytes = new byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, group);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), element);
        bytes[4] = (byte)vr[0];
        bytes[5] = (byte)vr[1];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), length);
        return bytes;
    }

    internal static byte[] ItemHeader(ushort element, uint length)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), element);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), length);
        return bytes;
    }

    internal static byte[] WithPreamble(byte[] dataset)
    {
        using var stream = new MemoryStream();
        DicomFileWriter.WritePreambleAndMeta(stream, DicomFileWriter.BuildFileMetaInformation(new DicomDataset(), DicomTransferSyntax.ExplicitVRLittleEndian));
        stream.Write(dataset);
        return stream.ToArray();
    }

    private sealed class NonSeekableStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
