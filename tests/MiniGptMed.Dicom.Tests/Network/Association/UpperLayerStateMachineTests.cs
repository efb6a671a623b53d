using MiniGptMed.Dicom.Network.Association;

namespace MiniGptMed.Dicom.Tests.Network.Association;

public sealed class UpperLayerStateMachineTests
{
    private static UpperLayerStateMachine Established(bool requestor)
    {
        var machine = new UpperLayerStateMachine(requestor);
        if (requestor)
        {
            machine.Fire(UpperLayerEvent.LocalAssociateRequest);
            machine.Fire(UpperLayerEvent.TransportConfirm);
            machine.Fire(UpperLayerEvent.AssociateAcceptReceived);
        }
        else
        {
            machine.Fire(UpperLayerEvent.TransportIndication);
            machine.Fire(UpperLayerEvent.AssociateRequestReceived);
            machine.Fire(UpperLayerEvent.LocalAssociateAccept);
        }

        Assert.Equal(UpperLayerState.Sta6Established, machine.State);
        return machine;
    }

    [Fact]
    public void ReleaseCollision_RequestorSide_GoesThroughSta9AndSta11()
    {
        var machine = Established(requestor: true);
        machine.Fire(UpperLayerEvent.LocalReleaseRequest);
        Assert.Equal(UpperLayerAction.Proceed, machine.Fire(UpperLayerEvent.ReleaseRequestReceived));
        Assert.Equal(UpperLayerState.Sta9CollisionRequestorAwaitingLocalResponse, machine.State);
        machine.Fire(UpperLayerEvent.LocalReleaseResponse);
        Assert.Equal(UpperLayerState.Sta11CollisionRequestorAwaitingReleaseResponse, machine.State);
        Assert.Equal(UpperLayerAction.Close, machine.Fire(UpperLayerEvent.ReleaseResponseReceived));
        Assert.Equal(UpperLayerState.Sta1Idle, machine.State);
    }

    [Fact]
    public void ReleaseCollision_AcceptorSide_GoesThroughSta10AndSta12()
    {
        var machine = Established(requestor: false);
        machine.Fire(UpperLayerEvent.LocalReleaseRequest);
        machine.Fire(UpperLayerEvent.ReleaseRequestReceived);
        Assert.Equal(UpperLayerState.Sta10CollisionAcceptorAwaitingReleaseResponse, machine.State);
        machine.Fire(UpperLayerEvent.ReleaseResponseReceived);
        Assert.Equal(UpperLayerState.Sta12CollisionAcceptorAwaitingLocalResponse, machine.State);
        machine.Fire(UpperLayerEvent.LocalReleaseResponse);
        Assert.Equal(UpperLayerState.Sta13AwaitingTransportClose, machine.State);
        Assert.True(machine.ArtimRunning);
    }

    [Theory]
    [InlineData(UpperLayerEvent.AssociateRequestReceived)]
    [InlineData(UpperLayerEvent.AssociateAcceptReceived)]
    [InlineData(UpperLayerEvent.ReleaseResponseReceived)]
    [InlineData(UpperLayerEvent.InvalidPduReceived)]
    public void UnexpectedPduWhileEstablished_AbortsAa8(UpperLayerEvent evt)
    {
        var machine = Established(requestor: false);
        Assert.Equal(UpperLayerAction.SendAbortAndClose, machine.Fire(evt));
        Assert.Equal(UpperLayerState.Sta13AwaitingTransportClose, machine.State);
    }

    [Fact]
    public void PduAfterWeRejected_IsIgnoredAa6_ButAnotherRequestIsAbortedAa7()
    {
        var machine = new UpperLayerStateMachine(isRequestor: false);
        machine.Fire(UpperLayerEvent.TransportIndication);
        Assert.True(machine.ArtimRunning);
        machine.Fire(UpperLayerEvent.AssociateRequestReceived);
        Assert.False(machine.ArtimRunning);
        machine.Fire(UpperLayerEvent.LocalAssociateReject);
        Assert.Equal(UpperLayerAction.Ignore, machine.Fire(UpperLayerEvent.DataReceived));
        Assert.Equal(UpperLayerAction.SendAbortAndClose, machine.Fire(UpperLayerEvent.AssociateRequestReceived));
        Assert.Equal(UpperLayerAction.Close, machine.Fire(UpperLayerEvent.ArtimExpired));
        Assert.Equal(UpperLayerState.Sta1Idle, machine.State);
    }

    [Fact]
    public void DataWhileAwaitingReleaseResponse_IsStillDeliveredAr6()
    {
        var machine = Established(requestor: true);
        machine.Fire(UpperLayerEvent.LocalReleaseRequest);
        Assert.Equal(UpperLayerAction.Proceed, machine.Fire(UpperLayerEvent.DataReceived));
        Assert.Equal(UpperLayerState.Sta7AwaitingReleaseResponse, machine.State);
    }

    [Fact]
    public void LocalDataBeforeAssociation_IsAProgrammingError()
    {
        var machine = new UpperLayerStateMachine(isRequestor: true);
        Assert.Throws<InvalidOperationException>(() => machine.Fire(UpperLayerEvent.LocalData));
    }
}
