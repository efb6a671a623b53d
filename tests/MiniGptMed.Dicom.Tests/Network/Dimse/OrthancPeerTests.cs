using System.Text.Json;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Json;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.Dicom.Network.Pdu;

namespace MiniGptMed.Dicom.Tests.Network.Dimse;

/// <summary>Real peer: our SCU against a private Orthanc, checked through Orthanc's REST API.</summary>
public sealed class OrthancPeerTests(OrthancServer orthanc) : IClassFixture<OrthancServer>
{
    private static readonly DicomTag MediaStorageSopClassUid = new(0x0002, 0x0002);

    private static readonly DicomTag MediaStorageSopInstanceUid = new(0x0002, 0x0003);

    private DicomClient Client(string calledAe = OrthancServer.AeTitle) => new("127.0.0.1", orthanc.DicomPort, "MINIGPTMED", calledAe);

    [Fact]
    public async Task Orthanc_RunsWithoutPlugins()
    {
        // The Debian package ships plugins that its default configuration loads; ours must load none. GET /plugins
        // always lists "explorer.js", the Orthanc Explorer extension point, which is built in, not a plugin.
        using var plugins = JsonDocument.Parse(await orthanc.Http.GetStringAsync("plugins"));
        Assert.Equal(["explorer.js"], plugins.RootElement.EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task Echo_ToOrthanc_Succeeds()
    {
        Assert.Equal(DimseStatus.Success, await Client().EchoAsync());
    }

    [Fact]
    public async Task Echo_ToWrongCalledAeTitle_IsRejectedAsCalledAeNotRecognized()
    {
        var e = await Assert.ThrowsAsync<AssociationRejectedException>(() => Client("NOTORTHANC").EchoAsync());
        // PS3.8 9.3.4: Orthanc (DicomCheckCalledAet) answers A-ASSOCIATE-RJ, permanent, service user, reason 7.
        Assert.Equal(RejectSource.ServiceUser, e.Reject.Source);
        Assert.Equal(7, (byte)e.Reject.Reason);
        Assert.Contains("called AE title not recognized", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CT_small.dcm")]
    [InlineData("MR_small.dcm")]
    [InlineData("MR_small_implicit.dcm")]
    [InlineData("MR_small_bigendian.dcm")]
    [InlineData("rtplan.dcm")]
    [InlineData("reportsi.dcm")]
    [InlineData("MR_small_RLE.dcm")]
    public async Task Store_ToOrthanc_StoresWhatWeSent(string name)
    {
        var source = Part10Source.Probe(Path.Combine(TestPaths.PydicomTestFiles, name));
        var outcomes = await Client().StoreAsync([source]);
        var outcome = Assert.Single(outcomes);
        Assert.True(outcome.Status == DimseStatus.Success, $"{name}: status {outcome.Status:X4} {outcome.Error}\n{orthanc.Log}");

        // The MR files share one SOP Instance UID: each case removes its instance so that the next is stored afresh.
        var id = Assert.Single(await orthanc.InstancesAsync(), i => i.SopInstanceUid == source.SopInstanceUid).Id;
        var copy = Path.Combine(orthanc.Root, $"{id}.dcm");
        try
        {
            await File.WriteAllBytesAsync(copy, await orthanc.Http.GetByteArrayAsync($"instances/{id}/file"));
            var sent = DicomFile.Open(source.Path);
            var stored = DicomFile.Open(copy);
            // Orthanc keeps the transfer syntax it received (no IngestTranscoding), and we send each file as is.
            Assert.Equal(sent.TransferSyntax.Uid, stored.TransferSyntax.Uid);
            Assert.Equal(source.SopClassUid, stored.FileMetaInformation.GetString(MediaStorageSopClassUid));
            Assert.Equal(source.SopInstanceUid, stored.FileMetaInformation.GetString(MediaStorageSopInstanceUid));

            // Orthanc writes its own File Meta Information (DCMTK's implementation class UID and version name, no
            // Source Application Entity Title), which DicomFile keeps apart from the data set, and re-encodes the data
            // set through DCMTK (reportsi.dcm's bytes change: item and sequence lengths), so the comparison is of
            // element values. For these files no value differs: no allowance is needed, not even for Data Set
            // Trailing Padding (PS3.5 7.6), which none of them has.
            Assert.Equal(DicomJsonWriter.Write(sent.Dataset), DicomJsonWriter.Write(stored.Dataset));
        }
        finally
        {
            File.Delete(copy);
            (await orthanc.Http.DeleteAsync($"instances/{id}")).EnsureSuccessStatusCode();
        }
    }
}
