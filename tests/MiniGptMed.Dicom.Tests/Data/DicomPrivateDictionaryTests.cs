using System.Buffers.Binary;
using System.Text;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Text;

namespace MiniGptMed.Dicom.Tests.Data;

public class DicomPrivateDictionaryTests
{
    private static readonly DicomTag GemsStartingView = new(0x0019, 0x1060);
    private static readonly DicomTag CsaImageHeaderInfo = new(0x0029, 0x1010);

    [Theory]
    [InlineData(0x1060)]
    [InlineData(0x1160)]
    [InlineData(0xFF60)]
    public void Find_GemsAcqu01StartingView_IsSLInWhicheverBlock(int element)
    {
        var entry = DicomPrivateDictionary.Find("GEMS_ACQU_01", new DicomTag(0x0019, (ushort)element));

        Assert.NotNull(entry);
        Assert.Equal([DicomVR.SL], entry.ValueRepresentations);
        Assert.Equal("1", entry.ValueMultiplicity);
        Assert.Equal("StartingView", entry.Keyword);
        Assert.True(entry.Matches(new DicomTag(0x0019, (ushort)element)));
        Assert.False(entry.Matches(new DicomTag(0x0019, 0x1061)));
    }

    [Fact]
    public void Find_SiemensCsaHeader_GivesTheCsaElements()
    {
        var info = DicomPrivateDictionary.Find("SIEMENS CSA HEADER", CsaImageHeaderInfo);
        var type = DicomPrivateDictionary.Find("SIEMENS CSA HEADER", new DicomTag(0x0029, 0x1108));
        var series = DicomPrivateDictionary.Find("SIEMENS CSA HEADER", new DicomTag(0x0029, 0x1120));

        Assert.Equal(DicomVR.OB, info?.DefaultVR);
        Assert.Equal("CSA Image Header Info", info?.Name);
        Assert.Equal(DicomVR.CS, type?.DefaultVR);
        Assert.Equal("CSASeriesHeaderInfo", series?.Keyword);
    }

    [Fact]
    public void Find_UnknownCreatorOrElementOrWrongGroup_GivesNull()
    {
        Assert.Null(DicomPrivateDictionary.Find("NO SUCH VENDOR", GemsStartingView));
        Assert.Null(DicomPrivateDictionary.Find("gems_acqu_01", GemsStartingView));
        Assert.Null(DicomPrivateDictionary.Find(string.Empty, GemsStartingView));
        Assert.Null(DicomPrivateDictionary.Find("SIEMENS CSA HEADER", new DicomTag(0x0029, 0x10FF)));
        Assert.Null(DicomPrivateDictionary.Find("SIEMENS CSA HEADER", new DicomTag(0x0031, 0x1010)));
    }

    [Fact]
    public void Find_NotAPrivateDataElement_GivesNull()
    {
        // Public tag, the private creator element itself, and (gggg,0001-00FF), which no block holds.
        Assert.Null(DicomPrivateDictionary.Find("GEMS_ACQU_01", new DicomTag(0x0018, 0x1060)));
        Assert.Null(DicomPrivateDictionary.Find("GEMS_ACQU_01", new DicomTag(0x0019, 0x0010)));
        Assert.Null(DicomPrivateDictionary.Find("GEMS_ACQU_01", new DicomTag(0x0019, 0x0060)));
    }

    [Theory]
    [InlineData("GEMS_ACQU_01 ")]
    [InlineData("GEMS_ACQU_01\0")]
    [InlineData("GEMS_ACQU_01  \0")]
    public void Find_CreatorWithTrailingPadding_MatchesTheCreator(string creator)
    {
        Assert.Equal(DicomVR.SL, DicomPrivateDictionary.Find(creator, GemsStartingView)?.DefaultVR);
        Assert.Null(DicomPrivateDictionary.Find(" " + creator, GemsStartingView));
    }

    [Theory]
    [InlineData(0x6001)]
    [InlineData(0x6003)]
    [InlineData(0x60FF)]
    public void Find_GroupRangeEntry_MatchesEveryOddGroupOfTheRange(int group)
    {
        // DCMTK writes these (6001-o-60ff,"PAPYRUS 3.0",10), pydicom '60xxxx10'.
        var rows = DicomPrivateDictionary.Find("PAPYRUS 3.0", new DicomTag((ushort)group, 0x1010));

        Assert.Equal("OverlayRows", rows?.Keyword);
        Assert.Equal(DicomVR.US, rows?.DefaultVR);
        Assert.True(rows?.IsRepeatingGroup);
    }

    [Fact]
    public void Find_BothSources_PydicomWinsAndDcmtkOnlyEntriesAreThere()
    {
        // private.dic says DS, pydicom US: pydicom's VR is kept (as the corpus oracle reads it).
        Assert.Equal(DicomVR.US, DicomPrivateDictionary.Find("CARDIO-D.R. 1.0", new DicomTag(0x0029, 0x1002))?.DefaultVR);

        // Only in DCMTK's private.dic.
        var map = DicomPrivateDictionary.Find("DCMTK_ANONYMIZER", new DicomTag(0x0009, 0x1000));
        Assert.Equal(DicomVR.SQ, map?.DefaultVR);
        Assert.Equal("Anonymizer UID Map", map?.Name);

        Assert.InRange(DicomPrivateDictionary.Count, 9000, 20000);
    }

    [Fact]
    public void Find_OBorOW_GivesBothVRs()
    {
        var entry = DicomPrivateDictionary.Find("TOSHIBA_MEC_OT3", new DicomTag(0x7019, 0x1080));

        Assert.Equal([DicomVR.OB, DicomVR.OW], entry?.ValueRepresentations);
    }

    [Fact]
    public void Read_ImplicitVR_PrivateElementsGetTheirDictionaryVR()
    {
        var bytes = ImplicitVRDataset(
            (0x0019, 0x0010, Encoding.ASCII.GetBytes("GEMS_ACQU_01")),
            (0x0019, 0x1060, Int32(-5)),
            (0x0029, 0x0011, Encoding.ASCII.GetBytes("SIEMENS CSA HEADER")),
            (0x0029, 0x1108, Encoding.ASCII.GetBytes("IMAGE NUM 4 ")),
            (0x0029, 0x1110, [1, 2, 3, 4]),
            (0x0043, 0x0010, Encoding.ASCII.GetBytes("NO SUCH VENDOR")),
            (0x0043, 0x1060, Int32(7)),
            (0x0045, 0x1060, Int32(9)));

        var dataset = DicomFileReader.ReadDataset(bytes, DicomTransferSyntax.ImplicitVRLittleEndian);

        Assert.Equal(DicomVR.LO, dataset.GetElement(new DicomTag(0x0019, 0x0010))?.VR);
        Assert.Equal(DicomVR.SL, dataset.GetElement(GemsStartingView)?.VR);
        Assert.Equal(-5, dataset.GetValue<int>(GemsStartingView));
        Assert.Equal(DicomVR.CS, dataset.GetElement(new DicomTag(0x0029, 0x1108))?.VR);
        Assert.Equal("IMAGE NUM 4", dataset.GetString(new DicomTag(0x0029, 0x1108)));
        Assert.Equal(DicomVR.OB, dataset.GetElement(new DicomTag(0x0029, 0x1110))?.VR);

        // Unknown creator, and a block without a creator element: nothing to go by (PS3.5 6.2.2).
        Assert.Equal(DicomVR.UN, dataset.GetElement(new DicomTag(0x0043, 0x1060))?.VR);
        Assert.Equal(DicomVR.UN, dataset.GetElement(new DicomTag(0x0045, 0x1060))?.VR);
    }

    [Fact]
    public void Read_ExplicitVRWithUNForAKnownPrivateElement_GivesItsVR()
    {
        var bytes = ExplicitVRDataset(
            (0x0019, 0x0010, "LO", Encoding.ASCII.GetBytes("GEMS_ACQU_01")),
            (0x0019, 0x1060, "UN", Int32(-5)),
            (0x0019, 0x10FE, "UN", Int32(3)));

        var replaced = DicomFileReader.ReadDataset(bytes, DicomTransferSyntax.ExplicitVRLittleEndian);
        var kept = DicomFileReader.ReadDataset(bytes, DicomTransferSyntax.ExplicitVRLittleEndian, new DicomReaderOptions { ReplaceUnknownVR = false });

        Assert.Equal(DicomVR.SL, replaced.GetElement(GemsStartingView)?.VR);
        Assert.Equal(-5, replaced.GetValue<int>(GemsStartingView));
        Assert.Equal(DicomVR.UN, replaced.GetElement(new DicomTag(0x0019, 0x10FE))?.VR);
        Assert.Equal(DicomVR.UN, kept.GetElement(GemsStartingView)?.VR);
    }

    [Fact]
    public void Dump_KnownPrivateElement_ShowsItsKeyword()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0019, 0x0010), DicomVR.LO, "GEMS_ACQU_01")
            .AddOrUpdate(GemsStartingView, DicomVR.SL, -5)
            .AddOrUpdate(new DicomTag(0x0019, 0x10FE), DicomVR.UN, new byte[] { 1, 2 });
        using var text = new StringWriter();

        DicomDumpWriter.WriteDataset(text, dataset, 0);

        var lines = text.ToString().Split('\n');
        Assert.EndsWith("StartingView", lines.Single(l => l.StartsWith("(0019,1060)", StringComparison.Ordinal)).TrimEnd());
        Assert.EndsWith("PrivateTag [GEMS_ACQU_01]", lines.Single(l => l.StartsWith("(0019,10FE)", StringComparison.Ordinal)).TrimEnd());
    }

    private static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    // PS3.5 7.1.3: tag, 32-bit length, value, little endian.
    private static byte[] ImplicitVRDataset(params (int Group, int Element, byte[] Value)[] elements)
    {
        using var output = new MemoryStream();
        Span<byte> header = stackalloc byte[8];
        foreach (var (group, element, value) in elements)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)group);
            BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)element);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)value.Length);
            output.Write(header);
            output.Write(value);
        }

        return output.ToArray();
    }

    // PS3.5 7.1.2: tag, VR, then a 16-bit length, or 2 reserved bytes and a 32-bit length for UN (and OB, SQ, ...).
    private static byte[] ExplicitVRDataset(params (int Group, int Element, string VR, byte[] Value)[] elements)
    {
        using var output = new MemoryStream();
        Span<byte> header = stackalloc byte[12];
        foreach (var (group, element, vr, value) in elements)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)group);
            BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)element);
            header[4] = (byte)vr[0];
            header[5] = (byte)vr[1];
            if (vr == "UN")
            {
                header[6] = 0;
                header[7] = 0;
                BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)value.Length);
                output.Write(header);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)value.Length);
                output.Write(header[..8]);
            }

            output.Write(value);
        }

        return output.ToArray();
    }
}
