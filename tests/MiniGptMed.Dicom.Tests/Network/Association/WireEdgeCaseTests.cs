using System.Text;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Pdu;
using MiniGptMed.Dicom.Tests.Network.Pdu;

namespace MiniGptMed.Dicom.Tests.Network.Association;

public sealed class WireEdgeCaseTests
{
    [Fact]
    public async Task PeerThatConnectsAndSaysNothing_IsClosedByTheArtimTimer()
    {
        await using var scp = new TestListener(configure: o => o.Association.ArtimTimeout = TimeSpan.FromMilliseconds(300));
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        var seen = await peer.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(seen); // PS3.8 AA-2: ARTIM expiry closes without an A-ABORT.
        var error = await scp.NextClosureAsync();
        Assert.Contains("ARTIM", error!.Message);
        Assert.Equal(0, scp.Listener.ActiveAssociations);
    }

    [Fact]
    public async Task RequestorThatNeverClosesAfterRelease_IsClosedByTheArtimTimer()
    {
        await using var scp = new TestListener(configure: o => o.Association.ArtimTimeout = TimeSpan.FromMilliseconds(500));
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(SamplePdus.Request());
        Assert.IsType<AssociateAcceptPdu>(await peer.ReadPduAsync());
        await peer.SendAsync(ReleaseRequestPdu.Instance);
        var seen = await peer.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));
        Assert.IsType<ReleaseResponsePdu>(Assert.Single(seen));
        Assert.Null(await scp.NextClosureAsync());
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")]
    [InlineData("\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000")]
    public async Task NonDicomBytes_GetAnAbortAtOnce(string text)
    {
        await using var scp = new TestListener();
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(Encoding.Latin1.GetBytes(text));
        var seen = await peer.ReadUntilClosedAsync(TimeSpan.FromSeconds(5));
        var abort = Assert.IsType<AbortPdu>(Assert.Single(seen));
        Assert.Equal((AbortSource.ServiceProvider, AbortReason.UnrecognizedPdu), (abort.Source, abort.Reason));
    }

    [Fact]
    public async Task PDataClaimingFourGigabytes_AbortsWithoutWaitingForTheBody()
    {
        await using var scp = new TestListener();
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(SamplePdus.Request());
        Assert.IsType<AssociateAcceptPdu>(await peer.ReadPduAsync());
        await peer.SendAsync(new byte[] { 0x04, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0 });
        var seen = await peer.ReadUntilClosedAsync(TimeSpan.FromSeconds(5));
        var abort = Assert.IsType<AbortPdu>(Assert.Single(seen));
        Assert.Equal(AbortReason.InvalidPduParameterValue, abort.Reason);
    }

    [Fact]
    public async Task AssociateRequestWith500Contexts_IsAbortedAndTheListenerCarriesOn()
    {
        await using var scp = new TestListener();
        var request = new AssociateRequestPdu
        {
            CalledAeTitle = "MINIGPTMED",
            CallingAeTitle = "FLOOD",
            PresentationContexts = Enumerable.Range(0, 500).Select(i => new PresentationContextRequestItem((byte)((2 * i + 1) & 0xFF), SamplePdus.CtImageStorage, [SamplePdus.ImplicitLittle])).ToList(),
            UserInformation = new UserInformation { MaximumLength = 16384 },
        };
        await using (var peer = await RawPeer.ConnectAsync(scp.Port))
        {
            await peer.SendAsync(request);
            var seen = await peer.ReadUntilClosedAsync(TimeSpan.FromSeconds(5));
            Assert.IsType<AbortPdu>(Assert.Single(seen));
        }

        await using var association = await scp.ConnectAsync();
        await association.ReleaseAsync();
    }

    [Fact]
    public async Task DataPduBeforeAssociation_IsAborted()
    {
        await using var scp = new TestListener();
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(SamplePdus.Data());
        var abort = Assert.IsType<AbortPdu>(Assert.Single(await peer.ReadUntilClosedAsync(TimeSpan.FromSeconds(5))));
        Assert.Equal(AbortReason.UnexpectedPdu, abort.Reason);
    }

    [Fact]
    public async Task DataOnAContextThatWasNotAccepted_IsAborted()
    {
        await using var scp = new TestListener();
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(SamplePdus.Request());
        Assert.IsType<AssociateAcceptPdu>(await peer.ReadPduAsync());
        await peer.SendAsync(new DataTransferPdu([new PresentationDataValue(9, true, true, new(new byte[] { 1 }))]));
        Assert.IsType<AbortPdu>(Assert.Single(await peer.ReadUntilClosedAsync(TimeSpan.FromSeconds(5))));
    }

    [Fact]
    public async Task ProtocolVersionWithoutBitZero_IsRejectedByAcse()
    {
        await using var scp = new TestListener();
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        var request = SamplePdus.Request();
        await peer.SendAsync(new AssociateRequestPdu
        {
            ProtocolVersion = 2,
            CalledAeTitle = request.CalledAeTitle,
            CallingAeTitle = request.CallingAeTitle,
            PresentationContexts = request.PresentationContexts,
            UserInformation = request.UserInformation,
        });
        var reject = Assert.IsType<AssociateRejectPdu>(await peer.ReadPduAsync());
        Assert.Equal((RejectSource.ServiceProviderAcse, RejectReason.ProtocolVersionNotSupported), (reject.Source, reject.Reason));
    }

    [Fact]
    public async Task PeerAbort_EndsTheAssociationWithTheAbortReason()
    {
        await using var scp = new TestListener(handler: new RecordingHandler());
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(SamplePdus.Request());
        Assert.IsType<AssociateAcceptPdu>(await peer.ReadPduAsync());
        await peer.SendAsync(new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified));
        var error = Assert.IsType<AssociationAbortedException>(await scp.Handler.Closed.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(AbortSource.ServiceUser, error.PeerAbort!.Source);
    }

    [Fact]
    public async Task ReleaseCollision_RequestorSide_AnswersAndCompletes()
    {
        // The in-process peer plays an acceptor that requests release at the same moment we do (PS3.8 AR-8, Sta9/Sta11).
        using var server = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        server.Start();
        var port = ((System.Net.IPEndPoint)server.LocalEndpoint).Port;
        var peerTask = Task.Run(async () =>
        {
            using var client = await server.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var reader = new PduStreamReader(stream);
            var request = Assert.IsType<AssociateRequestPdu>(await reader.ReadAsync());
            await stream.WriteAsync(new AssociateAcceptPdu
            {
                CalledAeTitle = request.CalledAeTitle,
                CallingAeTitle = request.CallingAeTitle,
                PresentationContexts = [new PresentationContextAcceptItem(1, PresentationContextResult.Acceptance, SamplePdus.ImplicitLittle)],
                UserInformation = new UserInformation { MaximumLength = 16384 },
            }.ToArray());
            Assert.IsType<ReleaseRequestPdu>(await reader.ReadAsync());
            await stream.WriteAsync(ReleaseRequestPdu.Instance.ToArray());
            Assert.IsType<ReleaseResponsePdu>(await reader.ReadAsync());
            await stream.WriteAsync(ReleaseResponsePdu.Instance.ToArray());
            Assert.Null(await reader.ReadAsync());
        });

        var association = await DicomAssociation.ConnectAsync("127.0.0.1", port, TestListener.Proposal(), new RecordingHandler());
        await using (association)
        {
            await association.ReleaseAsync();
        }

        await peerTask.WaitAsync(TimeSpan.FromSeconds(10));
    }
}

/// <summary>Reads PDUs from a plain stream for hand-written peers.</summary>
internal sealed class PduStreamReader(Stream stream)
{
    private readonly List<byte> _pending = [];

    public async Task<DicomPdu?> ReadAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var chunk = new byte[65536];
        while (true)
        {
            var buffer = new System.Buffers.ReadOnlySequence<byte>(_pending.ToArray());
            if (PduReader.TryReadPdu(ref buffer, 1 << 20, out var pdu))
            {
                _pending.RemoveRange(0, pdu.TotalLength);
                return pdu;
            }

            var n = await stream.ReadAsync(chunk, cts.Token);
            if (n == 0)
            {
                return null;
            }

            _pending.AddRange(chunk.AsSpan(0, n).ToArray());
        }
    }
}
