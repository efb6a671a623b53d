using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.Dicom.Network.Security;
using MiniGptMed.Dicom.Tests.Network.Dimse;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Network.Security;

/// <summary>
/// DICOM TLS (PS3.15 B.9) with real peers: DCMTK's echoscu/storescu/storescp built with OpenSSL, our SCU and SCP,
/// certificates made by openssl (a CA, a server and a client it signed, an expired client, another CA's client).
/// </summary>
public sealed class DicomTlsTests
{
    private static readonly string CtSmall = Path.Combine(TestPaths.PydicomTestFiles, "CT_small.dcm");

    private static async Task<(StorageScp Scp, CapturingLogger<DicomListener> Log)> TlsScpAsync(ClientCertificateMode mode = ClientCertificateMode.Required, TimeSpan? artim = null)
    {
        var pki = await TestCertificates.GetAsync();
        var log = new CapturingLogger<DicomListener>();
        var scp = new StorageScp(configure: o =>
        {
            o.Tls = pki.Server(mode);
            o.Association.ArtimTimeout = artim ?? o.Association.ArtimTimeout;
        }, logger: log);
        return (scp, log);
    }

    private static string[] HandshakeWarnings(CapturingLogger<DicomListener> log) =>
        [.. log.Lines.Where(l => l.Level == LogLevel.Warning && l.EventId == 1200).Select(l => l.Message)];

    [Fact]
    public async Task OurScu_OverTls_EchoesAndStoresUnchanged_WithClientCertificateRequired()
    {
        var pki = await TestCertificates.GetAsync();
        var (scp, _) = await TlsScpAsync();
        await using (scp)
        {
            var client = new DicomClient("127.0.0.1", scp.Port, "TESTSCU", "MINIGPTMED") { Tls = pki.Client() };
            Assert.Equal(DimseStatus.Success, await client.EchoAsync());
            var outcomes = await client.StoreAsync([Part10Source.Probe(CtSmall)]);
            Assert.Equal(DimseStatus.Success, outcomes.Single().Status);
            var stored = scp.Store.PathOf(Part10Source.Probe(CtSmall).SopInstanceUid);
            Assert.Equal(Part10Bytes.DataSetBytes(CtSmall), Part10Bytes.DataSetBytes(stored));
        }
    }

    [Fact]
    public async Task OurScu_TrustingAnotherCa_RefusesTheServerCertificate()
    {
        var pki = await TestCertificates.GetAsync();
        var (scp, _) = await TlsScpAsync(ClientCertificateMode.None);
        await using (scp)
        {
            var client = new DicomClient("127.0.0.1", scp.Port, "TESTSCU", "MINIGPTMED") { Tls = pki.Client(caFile: pki.WrongCaFile) };
            var error = await Assert.ThrowsAsync<TlsHandshakeException>(() => client.EchoAsync());
            Assert.Contains("server certificate 'CN=localhost' refused", error.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OurScu_WithoutClientCertificate_IsRefused_WhenOneIsRequired_WithOneWarning()
    {
        var pki = await TestCertificates.GetAsync();
        var (scp, log) = await TlsScpAsync(ClientCertificateMode.Required);
        await using (scp)
        {
            var client = new DicomClient("127.0.0.1", scp.Port, "TESTSCU", "MINIGPTMED") { Tls = pki.Client(client: null) };
            // TLS 1.3: the client's handshake completes before the server has judged its (missing) certificate, so
            // the refusal reaches it as a closed connection before A-ASSOCIATE-AC.
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => client.EchoAsync());
            Assert.True(refused is IOException or MiniGptMed.Dicom.Network.Association.AssociationAbortedException, refused.ToString());
            var closure = Assert.IsType<TlsHandshakeException>(await scp.NextClosureAsync());
            Assert.Contains("no certificate", closure.Reason, StringComparison.Ordinal);
            var warning = Assert.Single(HandshakeWarnings(log));
            Assert.Contains("127.0.0.1", warning, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OurScu_WithoutClientCertificate_IsAccepted_WhenClientCertificatesAreOptional()
    {
        var pki = await TestCertificates.GetAsync();
        var (scp, _) = await TlsScpAsync(ClientCertificateMode.Optional);
        await using (scp)
        {
            var client = new DicomClient("127.0.0.1", scp.Port, "TESTSCU", "MINIGPTMED") { Tls = pki.Client(client: null) };
            Assert.Equal(DimseStatus.Success, await client.EchoAsync());
        }
    }

    [Fact]
    public async Task Echoscu_WithClientCertificateOfOurCa_IsAccepted()
    {
        var pki = await TestCertificates.GetAsync();
        var (scp, log) = await TlsScpAsync();
        await using (scp)
        {
            var (code, output) = await Dcmtk.RunAsync("echoscu", "+tls", pki.Key("client"), pki.Cert("client"), "+cf", pki.CaFile, "-aet", "ECHOSCU", "-aec", "MINIGPTMED", "127.0.0.1", scp.Port.ToString());
            Assert.True(code == 0, output);
            Assert.Empty(HandshakeWarnings(log));
        }
    }

    [Theory]
    [InlineData("wrongclient", "CN=INTRUDER")]
    [InlineData("expired", "CN=EXPIRED")]
    public async Task Echoscu_WithUntrustedOrExpiredCertificate_IsRefused_AndLoggedOnce(string certificate, string subject)
    {
        var pki = await TestCertificates.GetAsync();
        var (scp, log) = await TlsScpAsync();
        await using (scp)
        {
            var (code, output) = await Dcmtk.RunAsync("echoscu", "+tls", pki.Key(certificate), pki.Cert(certificate), "+cf", pki.CaFile, "-aec", "MINIGPTMED", "127.0.0.1", scp.Port.ToString());
            Assert.True(code != 0, output);
            var closure = Assert.IsType<TlsHandshakeException>(await scp.NextClosureAsync());
            Assert.Contains(subject, closure.Reason, StringComparison.Ordinal);
            var warning = Assert.Single(HandshakeWarnings(log));
            Assert.Contains(subject, warning, StringComparison.Ordinal);

            // The listener serves on.
            Assert.Equal(DimseStatus.Success, await new DicomClient("127.0.0.1", scp.Port, "TESTSCU", "MINIGPTMED") { Tls = pki.Client() }.EchoAsync());
        }
    }

    [Fact]
    public async Task Storescu_OverTls_StoresEveryFileUnchanged()
    {
        var pki = await TestCertificates.GetAsync();
        var (scp, _) = await TlsScpAsync();
        await using (scp)
        {
            var names = new[] { "CT_small.dcm", "MR_small.dcm", "rtplan.dcm" };
            var paths = names.Select(n => Path.Combine(TestPaths.PydicomTestFiles, n)).ToArray();
            var (code, output) = await Dcmtk.RunAsync("storescu", ["+tls", pki.Key("client"), pki.Cert("client"), "+cf", pki.CaFile, "-aec", "MINIGPTMED", "127.0.0.1", scp.Port.ToString(), .. paths]);
            Assert.True(code == 0, output);
            foreach (var path in paths)
            {
                var stored = scp.Store.PathOf(Part10Source.Probe(path).SopInstanceUid);
                Assert.True(Part10Bytes.Normalised(path).AsSpan().SequenceEqual(Part10Bytes.Normalised(stored)), $"{path} changed");
            }
        }
    }

    [Fact]
    public async Task OurScu_ToStorescpOverTls_StoresAndRefusesAServerOfAnotherCa()
    {
        var pki = await TestCertificates.GetAsync();
        var port = Dcmtk.FreePort();
        var output = Directory.CreateTempSubdirectory("minigptmed-storescp-tls-").FullName;
        // storescp verifies our client certificate (-rc is its default with +tls).
        using var storescp = await Dcmtk.StartListeningAsync(port, "storescp", "+tls", pki.Key("server"), pki.Cert("server"), "+cf", pki.CaFile,
            "-aet", "STORESCP", "-od", output, "-uf", "--accept-all", port.ToString());
        try
        {
            var client = new DicomClient("127.0.0.1", port, "MINIGPTMED", "STORESCP") { Tls = pki.Client() };
            Assert.Equal(DimseStatus.Success, await client.EchoAsync());
            var outcome = (await client.StoreAsync([Part10Source.Probe(CtSmall)])).Single();
            Assert.True(outcome.Succeeded, $"{outcome.Status:X4} {outcome.Error}");
            var stored = Assert.Single(Directory.GetFiles(output));
            Assert.True(Part10Bytes.Normalised(CtSmall).AsSpan().SequenceEqual(Part10Bytes.Normalised(stored)));

            var distrusting = new DicomClient("127.0.0.1", port, "MINIGPTMED", "STORESCP") { Tls = pki.Client(caFile: pki.WrongCaFile) };
            await Assert.ThrowsAsync<TlsHandshakeException>(() => distrusting.EchoAsync());
        }
        finally
        {
            storescp.Kill(entireProcessTree: true);
            await storescp.WaitForExitAsync();
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task PlainDicom_ToTheTlsPort_IsRefusedAtTheHandshake_AndTheListenerServesOn()
    {
        var pki = await TestCertificates.GetAsync();
        var (scp, log) = await TlsScpAsync();
        await using (scp)
        {
            var (code, output) = await Dcmtk.RunAsync("echoscu", "-aec", "MINIGPTMED", "127.0.0.1", scp.Port.ToString());
            Assert.True(code != 0, output);
            Assert.IsType<TlsHandshakeException>(await scp.NextClosureAsync());
            Assert.Single(HandshakeWarnings(log));
            Assert.Equal(DimseStatus.Success, await new DicomClient("127.0.0.1", scp.Port, "TESTSCU", "MINIGPTMED") { Tls = pki.Client() }.EchoAsync());
        }
    }

    [Fact]
    public async Task SilentConnection_ToTheTlsPort_IsClosedWhenArtimExpires()
    {
        var (scp, log) = await TlsScpAsync(artim: TimeSpan.FromMilliseconds(300));
        await using (scp)
        {
            using var silent = new TcpClient();
            await silent.ConnectAsync(System.Net.IPAddress.Loopback, scp.Port);
            var closure = Assert.IsType<TlsHandshakeException>(await scp.NextClosureAsync());
            Assert.Contains("ARTIM", closure.Reason, StringComparison.Ordinal);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            Assert.Equal(0, await silent.GetStream().ReadAsync(new byte[16], cts.Token));
            Assert.Single(HandshakeWarnings(log));
        }
    }

    [Fact]
    public async Task ConnectionClosedBeforeAnyByte_IsNoFailedHandshake_NoWarning()
    {
        var (scp, log) = await TlsScpAsync();
        await using (scp)
        {
            using (var probe = new TcpClient())
            {
                // A port probe or a load balancer's health check: connect, close.
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, scp.Port);
            }

            var closure = Assert.IsType<TlsHandshakeException>(await scp.NextClosureAsync());
            Assert.True(closure.PeerSentNothing);
            Assert.Empty(HandshakeWarnings(log));
        }
    }
}
