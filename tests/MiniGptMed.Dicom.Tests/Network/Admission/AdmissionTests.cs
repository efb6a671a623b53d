using System.Net;
using MiniGptMed.Dicom.Network.Pdu;
using MiniGptMed.Dicom.Tests.Network.Association;
using MiniGptMed.Dicom.Tests.Network.Dimse;
using MiniGptMed.Dicom.Tests.Network.Pdu;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Network.Admission;

/// <summary>Fair admission: one host or AE cannot take the node, and what is refused is refused early and said once.</summary>
public sealed class AdmissionTests
{
    private static readonly IPAddress OtherHost = IPAddress.Parse("127.0.0.2");

    private static AssociateRequestPdu Request(string callingAe)
    {
        var sample = SamplePdus.Request();
        return new AssociateRequestPdu
        {
            CalledAeTitle = "MINIGPTMED",
            CallingAeTitle = callingAe,
            PresentationContexts = sample.PresentationContexts,
            UserInformation = sample.UserInformation,
        };
    }

    [Fact]
    public async Task Flood_Of160IdleConnectionsFromOneHost_DoesNotLockOutEchoscuAndStorescuFromAnother()
    {
        // Default limits, as a site runs them: 64 associations, 16 per address, 16 per calling AE.
        await using var scp = new StorageScp();
        using var series = await CtSeries.MakeAsync(20, 64);
        var flood = new List<RawPeer>();
        try
        {
            // 80 connections that send a valid A-ASSOCIATE-RQ and then nothing, 80 that send 3 bytes of a PDU header.
            for (var i = 0; i < 80; i++)
            {
                var holder = await RawPeer.ConnectAsync(scp.Port, OtherHost);
                flood.Add(holder);
                await TrySendAsync(holder, Request("HOG").ToArray());
                var half = await RawPeer.ConnectAsync(scp.Port, OtherHost);
                flood.Add(half);
                await TrySendAsync(half, [0x01, 0x00, 0x00]);
            }

            // While they hang on: the real peers from 127.0.0.1 get through, each within 5 s.
            var echo = await ExternalProcess.RunAsync("echoscu", ["-aet", "ECHOSCU", "-aec", "MINIGPTMED", "127.0.0.1", scp.Port.ToString()], TimeSpan.FromSeconds(5));
            Assert.True(echo.ExitCode == 0, echo.StandardOutput + echo.StandardError);
            var store = await ExternalProcess.RunAsync("storescu", ["-aet", "MODALITY", "-aec", "MINIGPTMED", "+sd", "127.0.0.1", scp.Port.ToString(), series.Path], TimeSpan.FromSeconds(5));
            Assert.True(store.ExitCode == 0, store.StandardOutput + store.StandardError);
            Assert.Equal(20, scp.StoredFiles().Length);
            Assert.True(scp.Listener.ActiveAssociations <= 16 + 1, $"{scp.Listener.ActiveAssociations} connections open");
        }
        finally
        {
            foreach (var peer in flood)
            {
                await peer.DisposeAsync();
            }
        }

        // The refusals at accept are said once, and the repeats summarised later, not 144 lines.
        Assert.Single(scp.Logs.Warnings, l => l.EventId == 1008);
    }

    [Fact]
    public async Task AddressNoRuleAdmits_IsClosedAtAccept_WithOneWarning()
    {
        var logs = new LogCapture();
        await using var listener = new TestListener(configure: o => o.Admission.AddressFilter = address => !address.Equals(OtherHost), logs: logs);
        await using var peer = await RawPeer.ConnectAsync(listener.Port, OtherHost);
        Assert.Null(await peer.ReadPduAsync());
        var line = Assert.Single(logs.Warnings);
        Assert.Equal(1008, line.EventId);
        Assert.Contains("no access rule admits this address", line.Message);
        Assert.Contains("127.0.0.2", line.Message);
        Assert.Equal(0, listener.Listener.ActiveAssociations);

        // The same listener still serves an admitted address.
        await using var association = await listener.ConnectAsync();
        await association.ReleaseAsync();
    }

    [Fact]
    public async Task OverThePerAddressShare_TheNextConnectionFromThatAddressIsClosed_OthersStillGetIn()
    {
        var logs = new LogCapture();
        await using var scp = new TestListener(configure: o => o.Admission.MaxAssociationsPerAddress = 2, logs: logs);
        await using var a = await RawPeer.ConnectAsync(scp.Port, OtherHost);
        await using var b = await RawPeer.ConnectAsync(scp.Port, OtherHost);
        await using var c = await RawPeer.ConnectAsync(scp.Port, OtherHost);
        Assert.Null(await c.ReadPduAsync());
        var line = Assert.Single(logs.Warnings);
        Assert.Contains("2 connections already open from this address", line.Message);

        await using var association = await scp.ConnectAsync();
        await association.ReleaseAsync();
    }

    [Fact]
    public async Task OverThePerCallingAeShare_IsRejectedTransientLocalLimitExceeded_WithOneWarning()
    {
        var logs = new LogCapture();
        await using var scp = new TestListener(configure: o => o.Admission.MaxAssociationsPerCallingAe = 1, logs: logs);
        await using var first = await RawPeer.ConnectAsync(scp.Port);
        await first.SendAsync(Request("HOG"));
        Assert.IsType<AssociateAcceptPdu>(await first.ReadPduAsync());

        await using var second = await RawPeer.ConnectAsync(scp.Port);
        await second.SendAsync(Request("HOG"));
        var reject = Assert.IsType<AssociateRejectPdu>(await second.ReadPduAsync());
        Assert.Equal((RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReason.LocalLimitExceeded), (reject.Result, reject.Source, reject.Reason));
        var line = Assert.Single(logs.Warnings);
        Assert.Equal(1003, line.EventId);
        Assert.Contains("1 associations already open for this calling AE", line.Message);
        Assert.Contains("calling AE HOG", line.Message);
        Assert.Contains("127.0.0.1", line.Message);

        // Another AE from the same address is not affected.
        await using var other = await RawPeer.ConnectAsync(scp.Port);
        await other.SendAsync(Request("OTHER"));
        Assert.IsType<AssociateAcceptPdu>(await other.ReadPduAsync());
    }

    [Fact]
    public async Task AcceptedAssociationThatSendsNoMessage_IsAbortedAfterTheFirstMessageTimeout()
    {
        await using var scp = new TestListener(configure: o => o.Association.FirstMessageTimeout = TimeSpan.FromMilliseconds(300));
        await using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(Request("SILENT"));
        Assert.IsType<AssociateAcceptPdu>(await peer.ReadPduAsync());
        var abort = Assert.IsType<AbortPdu>(await peer.ReadPduAsync());
        Assert.Equal(AbortSource.ServiceUser, abort.Source);
        var error = await scp.NextClosureAsync();
        Assert.Contains("No DIMSE message within 0.3 s", error!.Message);
    }

    [Fact]
    public async Task WhenFull_TheLongestIdleAssociationIsReleasedForANewcomer()
    {
        await using var scp = new TestListener(configure: o =>
        {
            o.MaxAssociations = 2;
            o.Admission.ReleaseIdleWhenFullAfter = TimeSpan.Zero;
        });
        await using var oldest = await RawPeer.ConnectAsync(scp.Port);
        await oldest.SendAsync(Request("A"));
        Assert.IsType<AssociateAcceptPdu>(await oldest.ReadPduAsync());
        await using var newer = await RawPeer.ConnectAsync(scp.Port);
        await newer.SendAsync(Request("B"));
        Assert.IsType<AssociateAcceptPdu>(await newer.ReadPduAsync());

        await using var newcomer = await RawPeer.ConnectAsync(scp.Port);
        await newcomer.SendAsync(Request("C"));
        Assert.IsType<AssociateAcceptPdu>(await newcomer.ReadPduAsync());

        var abort = Assert.IsType<AbortPdu>(await oldest.ReadPduAsync());
        Assert.Equal(AbortSource.ServiceUser, abort.Source);
        Assert.Contains("Released to make room", (await scp.NextClosureAsync())!.Message);
    }

    [Fact]
    public async Task WhenFull_AndNobodyIdleLongEnough_TheNewcomerIsRefused()
    {
        await using var scp = new TestListener(configure: o =>
        {
            o.MaxAssociations = 1;
            o.Admission.ReleaseIdleWhenFullAfter = TimeSpan.FromMinutes(5);
        });
        await using var busy = await RawPeer.ConnectAsync(scp.Port);
        await busy.SendAsync(Request("A"));
        Assert.IsType<AssociateAcceptPdu>(await busy.ReadPduAsync());
        await using var newcomer = await RawPeer.ConnectAsync(scp.Port);
        await newcomer.SendAsync(Request("B"));
        Assert.Equal(RejectReason.LocalLimitExceeded, Assert.IsType<AssociateRejectPdu>(await newcomer.ReadPduAsync()).Reason);
    }

    [Fact]
    public async Task RepeatedRefusalsOfOneKind_AreLoggedOnceAndSummarised()
    {
        var logs = new LogCapture();
        await using var scp = new TestListener(
            policy: new ScriptedPolicy(_ => MiniGptMed.Dicom.Network.Association.AssociationDecision.CalledAeNotRecognized),
            configure: o => o.RefusalLogWindow = TimeSpan.FromMilliseconds(500),
            logs: logs);
        for (var i = 0; i < 6; i++)
        {
            await using var peer = await RawPeer.ConnectAsync(scp.Port);
            await peer.SendAsync(Request("NOBODY"));
            Assert.IsType<AssociateRejectPdu>(await peer.ReadPduAsync());
        }

        var summary = await logs.WaitForAsync(1010);
        Assert.Contains("5 more like it", summary.Message);
        Assert.Contains("called AE title not recognized", summary.Message);
        Assert.Contains("NOBODY", summary.Message);
        Assert.Single(logs.Warnings, l => l.EventId == 1003);
        Assert.All(logs.Warnings, l => Assert.Null(l.Exception));
    }

    private static async Task TrySendAsync(RawPeer peer, byte[] bytes)
    {
        try
        {
            await peer.SendAsync(bytes);
        }
        catch (IOException)
        {
            // Closed at accept (over the address's share): that is the point.
        }
    }
}
