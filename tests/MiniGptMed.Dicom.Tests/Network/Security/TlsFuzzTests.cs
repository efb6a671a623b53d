using System.Net.Security;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Security;
using MiniGptMed.Dicom.Tests.Network.Association;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Network.Security;

/// <summary>The networking tests' fuzz corpus, sent inside authenticated TLS connections to a TLS listener.</summary>
public sealed class TlsFuzzTests
{
    [Fact]
    public async Task MutatedPdus_OverTls_NeverStopTheTlsListenerFromServing()
    {
        var pki = await TestCertificates.GetAsync();
        await using var scp = new TestListener(configure: o =>
        {
            o.Association.ArtimTimeout = TimeSpan.FromMilliseconds(500);
            o.Tls = pki.Server(ClientCertificateMode.Required);
        });
        var client = pki.Client();
        var connections = await ListenerFuzzTests.SendCorpusAsync(scp.Port, async tcp =>
        {
            var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = [client.ClientCertificate!],
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
            });
            return ssl;
        });

        Assert.True(connections >= 50, $"only {connections} fuzz connections ran");
        await using var association = await DicomAssociation.ConnectAsync("127.0.0.1", scp.Port, TestListener.Proposal(), new RecordingHandler(), null, client, cancellationToken: TestListener.Timeout.Token);
        Assert.True(association.IsSecure);
        await association.SendMessageAsync(1, new byte[] { 9 }, null, TestListener.Timeout.Token);
        await association.ReleaseAsync();
        Assert.Equal(0, await ListenerFuzzTests.WaitForIdleAsync(scp));
    }
}
