using System.Net;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Pdu;
using MiniGptMed.Dicom.Tests.Network.Pdu;

namespace MiniGptMed.Dicom.Tests.Network.Association;

public sealed class AssociationTests
{
    [Fact]
    public async Task Connect_NegotiatesContextsMaxPduAndImplementation()
    {
        await using var scp = new TestListener();
        var proposal = TestListener.Proposal() with
        {
            PresentationContexts =
            [
                new PresentationContextRequestItem(1, SamplePdus.Verification, [SamplePdus.ImplicitLittle]),
                new PresentationContextRequestItem(3, SamplePdus.CtImageStorage, [SamplePdus.ImplicitLittle, SamplePdus.ExplicitLittle]),
                new PresentationContextRequestItem(5, "1.2.3.4.5", [SamplePdus.ImplicitLittle]),
                new PresentationContextRequestItem(7, SamplePdus.CtImageStorage, ["1.2.840.10008.1.2.4.50"]),
            ],
            AsynchronousOperationsWindow = new AsynchronousOperationsWindow(5, 5),
            RoleSelections = [new RoleSelection(SamplePdus.CtImageStorage, true, true)],
        };
        await using var association = await scp.ConnectAsync(proposal: proposal);

        var results = association.PresentationContexts.OrderBy(c => c.Id).Select(c => (c.Id, c.Result, c.TransferSyntax)).ToList();
        Assert.Equal(
            [
                (1, PresentationContextResult.Acceptance, SamplePdus.ImplicitLittle),
                (3, PresentationContextResult.Acceptance, SamplePdus.ExplicitLittle),
                (5, PresentationContextResult.AbstractSyntaxNotSupported, string.Empty),
                (7, PresentationContextResult.TransferSyntaxesNotSupported, string.Empty),
            ],
            results);
        var user = association.Accept!.UserInformation;
        Assert.Equal(131072u, user.MaximumLength);
        Assert.Equal(new AsynchronousOperationsWindow(1, 1), user.AsynchronousOperationsWindow);
        Assert.Equal([new RoleSelection(SamplePdus.CtImageStorage, true, false)], user.RoleSelections);
        Assert.False(string.IsNullOrEmpty(user.ImplementationClassUid));
        Assert.Equal("MINIGPTMED_1", user.ImplementationVersionName);
        await association.ReleaseAsync();
        Assert.Null(await association.Completion);
        Assert.Null(await scp.NextClosureAsync());
    }

    [Fact]
    public async Task Message_IsFragmentedToThePeersMaximumAndReassembled()
    {
        await using var scp = new TestListener(configure: o => o.Association.MaxReceivePduLength = 4096);
        await using var association = await scp.ConnectAsync();
        Assert.Equal(4096, association.SendPduLength);
        var command = Enumerable.Range(0, 10000).Select(i => (byte)(i * 7)).ToArray();
        var data = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();

        await association.SendMessageAsync(3, command, new MemoryStream(data), TestListener.Timeout.Token);
        await scp.Handler.DataComplete.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(command, Assert.Single(scp.Handler.Commands));
        Assert.Equal(data, scp.Handler.Data.ToArray());
        Assert.All(scp.Handler.FragmentSizes, size => Assert.InRange(size, 1, 4096 - 6));
        await association.ReleaseAsync();
    }

    [Fact]
    public async Task Responses_FlowBackToTheRequestorHandler()
    {
        await using var scp = new TestListener();
        var scu = new RecordingHandler();
        await using var association = await scp.ConnectAsync(scu);
        await association.SendMessageAsync(1, new byte[] { 1, 2, 3 }, null, TestListener.Timeout.Token);
        var echoed = await scu.CommandArrivals.Reader.ReadAsync(TestListener.Timeout.Token);
        Assert.Equal(new byte[] { 1, 2, 3 }, echoed);
        await association.ReleaseAsync();
        Assert.Null(await scu.Closed.Task);
    }

    [Fact]
    public async Task Policy_SeesAeTitlesAddressAndUserIdentity_AndItsRejectionReachesTheRequestor()
    {
        var policy = new ScriptedPolicy(_ => AssociationDecision.CalledAeNotRecognized);
        await using var scp = new TestListener(policy);
        var proposal = TestListener.Proposal("NOSUCHAE") with
        {
            UserIdentity = new UserIdentityRequest(UserIdentityType.Username, false, "bob"u8.ToArray(), []),
        };

        var ex = await Assert.ThrowsAsync<AssociationRejectedException>(() => scp.ConnectAsync(proposal: proposal));

        Assert.Equal((RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAeTitleNotRecognized), (ex.Reject.Result, ex.Reject.Source, ex.Reject.Reason));
        Assert.Contains("called AE title not recognized", ex.Message);
        Assert.Equal(("NOSUCHAE", "TESTSCU"), (policy.Last!.CalledAeTitle, policy.Last.CallingAeTitle));
        Assert.True(IPAddress.IsLoopback(policy.Last.RemoteEndPoint.Address));
        Assert.Equal("bob", policy.Last.UserIdentity!.PrimaryText);
        Assert.Null(await scp.NextClosureAsync());
    }

    [Fact]
    public async Task Listener_OverItsAssociationLimit_RejectsTransientLocalLimitExceeded()
    {
        await using var scp = new TestListener(configure: o => o.MaxAssociations = 1);
        await using var first = await scp.ConnectAsync();
        var ex = await Assert.ThrowsAsync<AssociationRejectedException>(() => scp.ConnectAsync());
        Assert.Equal((RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReason.LocalLimitExceeded), (ex.Reject.Result, ex.Reject.Source, ex.Reject.Reason));
        await first.ReleaseAsync();
    }

    [Fact]
    public async Task Listener_OverItsConnectionLimit_ClosesNewConnectionsUnread_AndStillRejectsTheOnesItHolds()
    {
        await using var scp = new TestListener(configure: o =>
        {
            o.MaxAssociations = 1;
            o.MaxConnections = 2;
        });
        await using var first = await scp.ConnectAsync();
        await using var waiting = await RawPeer.ConnectAsync(scp.Port); // connected, not yet associating: holds slot 2
        await using var flood = await RawPeer.ConnectAsync(scp.Port);

        Assert.Null(await flood.ReadPduAsync()); // closed without a word, no thread spent on it
        await waiting.SendAsync(SamplePdus.Request());
        var reject = Assert.IsType<AssociateRejectPdu>(await waiting.ReadPduAsync());
        Assert.Equal(RejectReason.LocalLimitExceeded, reject.Reason);
        await first.ReleaseAsync();
    }

    [Fact]
    public async Task LoopbackOnlyPolicy_RejectsRemoteAddresses()
    {
        var policy = new LoopbackOnlyAssociationPolicy();
        var request = SamplePdus.Request();
        var remote = await policy.EvaluateAsync(new AssociationRequestInfo("A", "B", new IPEndPoint(IPAddress.Parse("10.1.2.3"), 5000), null, request), default);
        var local = await policy.EvaluateAsync(new AssociationRequestInfo("A", "B", new IPEndPoint(IPAddress.Parse("::ffff:127.0.0.1"), 5000), null, request), default);
        Assert.Equal(AssociationDecision.CallingAeNotRecognized, remote);
        Assert.Equal(AssociationDecision.Accept, local);
    }

    [Fact]
    public async Task PeerDiesMidDataSet_HandlerIsToldTheAssociationAborted()
    {
        await using var scp = new TestListener(handler: new RecordingHandler());
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(SamplePdus.Request());
        Assert.IsType<AssociateAcceptPdu>(await peer.ReadPduAsync());
        await peer.SendAsync(new DataTransferPdu([new PresentationDataValue(3, true, true, new(new byte[] { 1, 2 }))]));
        await peer.SendAsync(new DataTransferPdu([new PresentationDataValue(3, false, false, new(new byte[100]))]));
        await scp.Handler.CommandArrivals.Reader.ReadAsync(TestListener.Timeout.Token);
        await peer.DisposeAsync();

        var error = await scp.Handler.Closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.IsType<AssociationAbortedException>(error);
        Assert.Contains("closed the connection", error.Message);
    }
}
