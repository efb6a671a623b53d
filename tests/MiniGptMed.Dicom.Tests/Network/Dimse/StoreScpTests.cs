using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.Dicom.Network.Pdu;
using MiniGptMed.Dicom.Tests.Network.Association;

namespace MiniGptMed.Dicom.Tests.Network.Dimse;

public sealed class StoreScpTests
{
    private static readonly string CtSmall = Path.Combine(TestPaths.PydicomTestFiles, "CT_small.dcm");

    [Fact]
    public async Task Echo_OurScuToOurScp_Succeeds()
    {
        await using var scp = new StorageScp();
        Assert.Equal(DimseStatus.Success, await scp.Client().EchoAsync());
    }

    [Fact]
    public async Task Store_OurScuToOurScp_StoresTheDataSetByteForByteWithAMetaHeader()
    {
        await using var scp = new StorageScp();
        var source = Part10Source.Probe(CtSmall);
        var outcome = Assert.Single(await scp.Client().StoreAsync([source]));
        Assert.Equal(DimseStatus.Success, outcome.Status);

        var stored = scp.Store.PathOf(source.SopInstanceUid);
        Assert.Equal(Part10Bytes.DataSetBytes(CtSmall), Part10Bytes.DataSetBytes(stored));
        var meta = DicomFile.Open(stored).FileMetaInformation;
        Assert.Equal(source.SopClassUid, meta.GetString(DicomTags.MediaStorageSOPClassUID));
        Assert.Equal(source.TransferSyntax.Uid, meta.GetString(DicomTags.TransferSyntaxUID));
        Assert.Equal("TESTSCU", meta.GetString(DicomTags.SourceApplicationEntityTitle));
        Assert.Empty(scp.TempFiles());
    }

    [Fact]
    public async Task PydicomCorpus_TravelsThroughOurScpUnchanged()
    {
        await using var scp = new StorageScp();
        var sources = new List<Part10Source>();
        foreach (var path in Directory.GetFiles(TestPaths.PydicomTestFiles, "*.dcm").Order())
        {
            try
            {
                sources.Add(Part10Source.Probe(path));
            }
            catch (Exception ex) when (ex is DicomFormatException or DicomDataException or EndOfStreamException)
            {
                // Not a Part 10 file with SOP class/instance (no_meta.dcm, truncated files): not sendable by any SCU.
            }
        }

        // One instance per SOP Instance UID: the corpus reuses UIDs across transfer syntaxes.
        var unique = sources.Where(s => !s.TransferSyntax.IsEncapsulated).DistinctBy(s => s.SopInstanceUid).ToList();
        Assert.True(unique.Count >= 10, $"only {unique.Count} corpus files");
        var outcomes = await scp.Client().StoreAsync(unique);
        var stored = 0;
        foreach (var (source, outcome) in unique.Zip(outcomes))
        {
            if (outcome.Status is null)
            {
                continue; // SOP class not in the storage dictionary: context rejected, nothing sent.
            }

            if (outcome.Status != DimseStatus.Success)
            {
                // Refused files must be ones our reader cannot parse; nothing of them may be visible.
                Assert.False(File.Exists(scp.Store.PathOf(source.SopInstanceUid)), source.Path);
                continue;
            }

            stored++;
            // Same element values: both written out in one encoding (group lengths, retired by PS3.5 7.2, are left out).
            var (a, b) = (Part10Bytes.Normalised(source.Path), Part10Bytes.Normalised(scp.Store.PathOf(source.SopInstanceUid)));
            var at = a.AsSpan().CommonPrefixLength(b);
            Assert.True(a.SequenceEqual(b), $"{source.Path} ({source.TransferSyntax.Uid}) changed at {at}: {Convert.ToHexString(a.AsSpan(Math.Max(0, at - 16), Math.Min(48, a.Length - Math.Max(0, at - 16))))} vs {Convert.ToHexString(b.AsSpan(Math.Max(0, at - 16), Math.Min(48, b.Length - Math.Max(0, at - 16))))}");
            if (source.TransferSyntax.Uid is "1.2.840.10008.1.2.1" or "1.2.840.10008.1.2")
            {
                // Accepted as is: the data set bytes are untouched.
                Assert.Equal(Part10Bytes.DataSetBytes(source.Path), Part10Bytes.DataSetBytes(scp.Store.PathOf(source.SopInstanceUid)));
            }
        }

        Assert.True(stored >= 10, $"only {stored} corpus files stored");
        Assert.Empty(scp.TempFiles());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Store_WhenPeerAbortsMidDataSet_LeavesNoInstance(bool flush)
    {
        // Relaxed durability (flush off) skips the fsyncs only: a partial data set is never visible either way.
        await using var scp = new StorageScp(o => o.FlushToDisk = flush);
        var source = Part10Source.Probe(CtSmall);
        var data = Part10Bytes.DataSetBytes(CtSmall);
        var handler = new RecordingHandler();
        var proposal = new AssociationProposal("MINIGPTMED", "TESTSCU", [new PresentationContextRequestItem(1, source.SopClassUid, [source.TransferSyntax.Uid])]);
        await using (var association = await DicomAssociation.ConnectAsync("127.0.0.1", scp.Port, proposal, handler))
        {
            // Half the data set, without the last-fragment flag, then the connection drops.
            await association.SendMessageAsync(1, DimseCommand.StoreRequest(1, source.SopClassUid, source.SopInstanceUid).Encode(), new MemoryStream(data, 0, data.Length / 2), default);
            association.Abort();
        }

        Assert.NotNull(await scp.NextClosureAsync());
        Assert.Empty(scp.StoredFiles());
        Assert.Empty(scp.TempFiles());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Store_TruncatedDataSet_IsRefusedWithCannotUnderstand(bool flush)
    {
        await using var scp = new StorageScp(o => o.FlushToDisk = flush);
        var status = await SendRawAsync(scp, CtSmall, data => data[..(data.Length - 1000)]);
        Assert.Equal(DimseStatus.CannotUnderstand, status);
        Assert.Empty(scp.StoredFiles());
        Assert.Empty(scp.TempFiles());
    }

    [Fact]
    public async Task Store_DataSetOfAnotherInstance_IsRefusedWithA900()
    {
        await using var scp = new StorageScp();
        var status = await SendRawAsync(scp, CtSmall, data => data, sopInstanceUid: "1.2.3.4.5.6");
        Assert.Equal(DimseStatus.DataSetDoesNotMatchSopClass, status);
        Assert.Empty(scp.StoredFiles());
    }

    [Fact]
    public async Task Store_HeaderLongerThanTheHeadCheckSees_IsCheckedInFullAndStored()
    {
        await using var scp = new StorageScp();
        var bytes = DataSetHeadCheckTests.WithLongHeader();
        var status = await SendRawAsync(scp, CtSmall, _ => bytes);
        Assert.Equal(DimseStatus.Success, status);
        var stored = Assert.Single(scp.StoredFiles());
        Assert.Equal(bytes, File.ReadAllBytes(stored)[(int)Part10Source.Probe(stored).DataSetOffset..]);
        Assert.Empty(scp.TempFiles());
    }

    [Fact]
    public async Task Store_BelowTheDiskWatermark_IsRefusedOutOfResources()
    {
        await using var scp = new StorageScp(o => o.MinimumFreeBytes = long.MaxValue);
        var outcome = Assert.Single(await scp.Client().StoreAsync([Part10Source.Probe(CtSmall)]));
        Assert.Equal(DimseStatus.OutOfResources, outcome.Status);
        Assert.Empty(scp.StoredFiles());
        Assert.Empty(scp.TempFiles());
    }

    [Fact]
    public async Task Store_CommandForAnotherSopClassThanTheContext_IsRefused0122()
    {
        await using var scp = new StorageScp();
        var status = await SendRawAsync(scp, CtSmall, data => data, commandSopClass: "1.2.840.10008.5.1.4.1.1.4");
        Assert.Equal(DimseStatus.SopClassNotSupported, status);
    }

    [Fact]
    public async Task Store_WithFlushRelaxed_StillStores()
    {
        await using var scp = new StorageScp(o => o.FlushToDisk = false);
        var outcome = Assert.Single(await scp.Client().StoreAsync([Part10Source.Probe(CtSmall)]));
        Assert.Equal(DimseStatus.Success, outcome.Status);
    }

    [Fact]
    public async Task Negotiation_RejectsUnknownAbstractSyntaxesAndUndecodableSyntaxesWithTheirReasons()
    {
        await using var scp = new StorageScp();

        // MPEG2 Main Profile and HTJ2K: syntaxes the imaging layer has no decoder for.
        var proposal = new AssociationProposal("MINIGPTMED", "TESTSCU",
        [
            new PresentationContextRequestItem(1, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.201"]),
            new PresentationContextRequestItem(3, "1.2.3.999", ["1.2.840.10008.1.2"]),
            new PresentationContextRequestItem(5, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1"]),
        ]);
        await using var association = await DicomAssociation.ConnectAsync("127.0.0.1", scp.Port, proposal, new RecordingHandler());
        var results = association.PresentationContexts.OrderBy(c => c.Id).Select(c => (c.Result, c.TransferSyntax)).ToList();
        Assert.Equal(
            [
                (PresentationContextResult.TransferSyntaxesNotSupported, string.Empty),
                (PresentationContextResult.AbstractSyntaxNotSupported, string.Empty),
                (PresentationContextResult.Acceptance, "1.2.840.10008.1.2.1"),
            ],
            results);
        await association.ReleaseAsync();
    }

    [Fact]
    public async Task Negotiation_AcceptsACompressedSyntaxWeCanDecode_PreferringNativeWhenBothAreProposed()
    {
        await using var scp = new StorageScp();
        var proposal = new AssociationProposal("MINIGPTMED", "TESTSCU",
        [
            new PresentationContextRequestItem(1, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2.4.70"]),
            new PresentationContextRequestItem(3, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2"]),
        ]);
        await using var association = await DicomAssociation.ConnectAsync("127.0.0.1", scp.Port, proposal, new RecordingHandler());
        var results = association.PresentationContexts.OrderBy(c => c.Id).Select(c => (c.Result, c.TransferSyntax)).ToList();
        Assert.Equal(
            [
                (PresentationContextResult.Acceptance, "1.2.840.10008.1.2.4.70"),
                (PresentationContextResult.Acceptance, "1.2.840.10008.1.2"),
            ],
            results);
        await association.ReleaseAsync();
    }

    private static async Task<ushort> SendRawAsync(StorageScp scp, string path, Func<byte[], byte[]> mutate, string? sopInstanceUid = null, string? commandSopClass = null)
    {
        var source = Part10Source.Probe(path);
        var handler = new RecordingHandler();
        var proposal = new AssociationProposal("MINIGPTMED", "TESTSCU", [new PresentationContextRequestItem(1, source.SopClassUid, [source.TransferSyntax.Uid])]);
        await using var association = await DicomAssociation.ConnectAsync("127.0.0.1", scp.Port, proposal, handler);
        var command = DimseCommand.StoreRequest(7, commandSopClass ?? source.SopClassUid, sopInstanceUid ?? source.SopInstanceUid).Encode();
        await association.SendMessageAsync(1, command, new MemoryStream(mutate(Part10Bytes.DataSetBytes(path))), default);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var response = DimseCommand.Decode(await handler.CommandArrivals.Reader.ReadAsync(cts.Token));
        Assert.Equal(7, response.MessageIdBeingRespondedTo);
        Assert.Equal(DimseCommandField.CStoreResponse, response.CommandField);
        await association.ReleaseAsync();
        return response.Status;
    }
}
