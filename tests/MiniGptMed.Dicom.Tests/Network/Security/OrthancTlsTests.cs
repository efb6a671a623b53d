using System.Text.Json;
using System.Text.Json.Nodes;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.Dicom.Network.Security;
using MiniGptMed.Dicom.Tests.Network.Dimse;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Network.Security;

/// <summary>A private Orthanc whose DICOM port speaks TLS only, with client certificates of our test CA required.</summary>
public sealed class OrthancTlsServer : IAsyncLifetime
{
    public OrthancServer Orthanc { get; private set; } = null!;

    public TestCertificates Pki { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Pki = await TestCertificates.GetAsync();
        Orthanc = OrthancServer.WithSettings(config =>
        {
            config["DicomTlsEnabled"] = true;
            config["DicomTlsCertificate"] = Pki.Cert("server");
            config["DicomTlsPrivateKey"] = Pki.Key("server");
            config["DicomTlsTrustedCertificates"] = Pki.CaFile;
            config["DicomTlsRemoteCertificateRequired"] = true;
        });
        await Orthanc.InitializeAsync();
    }

    public Task DisposeAsync() => Orthanc.DisposeAsync();
}

/// <summary>DICOM TLS with Orthanc (1.9+ DicomTls* options) both ways: our SCU to its TLS port, and Orthanc's SCU to ours.</summary>
public sealed class OrthancTlsTests(OrthancTlsServer fixture) : IClassFixture<OrthancTlsServer>
{
    private static readonly string CtSmall = Path.Combine(TestPaths.PydicomTestFiles, "CT_small.dcm");

    private DicomClient Client(DicomTlsClientOptions? tls) => new("127.0.0.1", fixture.Orthanc.DicomPort, "MINIGPTMED", OrthancServer.AeTitle) { Tls = tls };

    [Fact]
    public async Task OurScu_StoresIntoOrthanc_OverTls()
    {
        var source = Part10Source.Probe(CtSmall);
        var outcome = (await Client(fixture.Pki.Client()).StoreAsync([source])).Single();
        Assert.True(outcome.Status == DimseStatus.Success, $"{outcome.Status:X4} {outcome.Error}\n{fixture.Orthanc.Log}");
        Assert.Contains(await fixture.Orthanc.InstancesAsync(), i => i.SopInstanceUid == source.SopInstanceUid);
    }

    [Fact]
    public async Task OurScu_WithoutClientCertificate_IsRefusedByOrthanc()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => Client(fixture.Pki.Client(client: null)).EchoAsync());
        Assert.True(refused is IOException or MiniGptMed.Dicom.Network.Association.AssociationAbortedException, refused.ToString());
    }

    [Fact]
    public async Task OurScu_PlainTcp_ToOrthancsTlsPort_Fails()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => Client(null).EchoAsync());
    }

    [Fact]
    public async Task OrthancScu_StoresIntoOurTlsPort_WithItsClientCertificate()
    {
        var pki = fixture.Pki;
        await using var scp = new StorageScp(configure: o => o.Tls = pki.Server(ClientCertificateMode.Required));
        var http = fixture.Orthanc.Http;
        // Orthanc needs the instance first: upload it over REST, then ask it to C-STORE it to us over TLS.
        using var upload = await http.PostAsync("instances", new ByteArrayContent(await File.ReadAllBytesAsync(CtSmall)));
        upload.EnsureSuccessStatusCode();
        var id = JsonDocument.Parse(await upload.Content.ReadAsStringAsync()).RootElement.GetProperty("ID").GetString()!;
        var modality = new JsonObject { ["AET"] = "MINIGPTMED", ["Host"] = "127.0.0.1", ["Port"] = scp.Port, ["UseDicomTls"] = true };
        (await http.PutAsync("modalities/ours", new StringContent(modality.ToJsonString()))).EnsureSuccessStatusCode();
        using var store = await http.PostAsync("modalities/ours/store", new StringContent(id));
        Assert.True(store.IsSuccessStatusCode, await store.Content.ReadAsStringAsync() + "\n" + fixture.Orthanc.Log);
        var stored = scp.Store.PathOf(Part10Source.Probe(CtSmall).SopInstanceUid);
        Assert.True(Part10Bytes.Normalised(CtSmall).AsSpan().SequenceEqual(Part10Bytes.Normalised(stored)));
    }
}
