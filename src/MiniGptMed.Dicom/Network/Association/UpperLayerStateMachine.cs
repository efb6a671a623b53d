using MiniGptMed.Dicom.Network.Pdu;

namespace MiniGptMed.Dicom.Network.Association;

/// <summary>PS3.8 9.2.1: the states of an association (Table 9-9 names them Sta1..Sta13).</summary>
public enum UpperLayerState
{
    Sta1Idle = 1,
    Sta2AwaitingAssociateRequest = 2,
    Sta3AwaitingLocalAssociateResponse = 3,
    Sta4AwaitingTransportOpen = 4,
    Sta5AwaitingAssociateResponse = 5,
    Sta6Established = 6,
    Sta7AwaitingReleaseResponse = 7,
    Sta8AwaitingLocalReleaseResponse = 8,
    Sta9CollisionRequestorAwaitingLocalResponse = 9,
    Sta10CollisionAcceptorAwaitingReleaseResponse = 10,
    Sta11CollisionRequestorAwaitingReleaseResponse = 11,
    Sta12CollisionAcceptorAwaitingLocalResponse = 12,
    Sta13AwaitingTransportClose = 13,
}

/// <summary>PS3.8 9.2.2 Table 9-6: the events (Evt1..Evt19), local primitives and received PDUs alike.</summary>
public enum UpperLayerEvent
{
    LocalAssociateRequest = 1,
    TransportConfirm = 2,
    AssociateAcceptReceived = 3,
    AssociateRejectReceived = 4,
    TransportIndication = 5,
    AssociateRequestReceived = 6,
    LocalAssociateAccept = 7,
    LocalAssociateReject = 8,
    LocalData = 9,
    DataReceived = 10,
    LocalReleaseRequest = 11,
    ReleaseRequestReceived = 12,
    ReleaseResponseReceived = 13,
    LocalReleaseResponse = 14,
    LocalAbort = 15,
    AbortReceived = 16,
    TransportClosed = 17,
    ArtimExpired = 18,
    InvalidPduReceived = 19,
}

/// <summary>What the association must do for an event, condensed from the actions of PS3.8 Table 9-7/9-8.</summary>
public enum UpperLayerAction
{
    /// <summary>Carry out the event normally (send the local primitive's PDU, or hand the received PDU up).</summary>
    Proceed,

    /// <summary>AA-1/AA-7/AA-8: send A-ABORT and wait for the transport to close (ARTIM running).</summary>
    SendAbortAndClose,

    /// <summary>AA-2/AA-3/AA-4/AR-3/AR-5: close the transport.</summary>
    Close,

    /// <summary>AA-6: ignore the PDU (Sta13, after we aborted or rejected).</summary>
    Ignore,
}

/// <summary>
/// The PS3.8 Table 9-10 state table, kept apart from the socket code so that every transition (release
/// collisions included) is testable. The socket code asks it before acting on each event.
/// </summary>
public sealed class UpperLayerStateMachine(bool isRequestor)
{
    public UpperLayerState State { get; private set; } = UpperLayerState.Sta1Idle;

    public bool IsRequestor { get; } = isRequestor;

    /// <summary>PS3.8 9.1.5: the ARTIM timer runs while awaiting an A-ASSOCIATE-RQ and while awaiting the transport close.</summary>
    public bool ArtimRunning => State is UpperLayerState.Sta2AwaitingAssociateRequest or UpperLayerState.Sta13AwaitingTransportClose;

    public UpperLayerAction Fire(UpperLayerEvent evt)
    {
        var (action, next) = Transition(State, evt);
        State = next;
        return action;
    }

    public static UpperLayerEvent EventFor(PduType type) => type switch
    {
        PduType.AssociateRequest => UpperLayerEvent.AssociateRequestReceived,
        PduType.AssociateAccept => UpperLayerEvent.AssociateAcceptReceived,
        PduType.AssociateReject => UpperLayerEvent.AssociateRejectReceived,
        PduType.DataTransfer => UpperLayerEvent.DataReceived,
        PduType.ReleaseRequest => UpperLayerEvent.ReleaseRequestReceived,
        PduType.ReleaseResponse => UpperLayerEvent.ReleaseResponseReceived,
        PduType.Abort => UpperLayerEvent.AbortReceived,
        _ => UpperLayerEvent.InvalidPduReceived,
    };

    private (UpperLayerAction Action, UpperLayerState Next) Transition(UpperLayerState state, UpperLayerEvent evt)
    {
        const UpperLayerAction Go = UpperLayerAction.Proceed;
        switch (state, evt)
        {
            case (UpperLayerState.Sta1Idle, UpperLayerEvent.LocalAssociateRequest): return (Go, UpperLayerState.Sta4AwaitingTransportOpen); // AE-1
            case (UpperLayerState.Sta4AwaitingTransportOpen, UpperLayerEvent.TransportConfirm): return (Go, UpperLayerState.Sta5AwaitingAssociateResponse); // AE-2
            case (UpperLayerState.Sta5AwaitingAssociateResponse, UpperLayerEvent.AssociateAcceptReceived): return (Go, UpperLayerState.Sta6Established); // AE-3
            case (UpperLayerState.Sta5AwaitingAssociateResponse, UpperLayerEvent.AssociateRejectReceived): return (UpperLayerAction.Close, UpperLayerState.Sta1Idle); // AE-4
            case (UpperLayerState.Sta1Idle, UpperLayerEvent.TransportIndication): return (Go, UpperLayerState.Sta2AwaitingAssociateRequest); // AE-5
            case (UpperLayerState.Sta2AwaitingAssociateRequest, UpperLayerEvent.AssociateRequestReceived): return (Go, UpperLayerState.Sta3AwaitingLocalAssociateResponse); // AE-6
            case (UpperLayerState.Sta3AwaitingLocalAssociateResponse, UpperLayerEvent.LocalAssociateAccept): return (Go, UpperLayerState.Sta6Established); // AE-7
            case (UpperLayerState.Sta3AwaitingLocalAssociateResponse, UpperLayerEvent.LocalAssociateReject): return (Go, UpperLayerState.Sta13AwaitingTransportClose); // AE-8

            case (UpperLayerState.Sta6Established, UpperLayerEvent.LocalData): return (Go, state); // DT-1
            case (UpperLayerState.Sta6Established, UpperLayerEvent.DataReceived): return (Go, state); // DT-2
            case (UpperLayerState.Sta6Established, UpperLayerEvent.LocalReleaseRequest): return (Go, UpperLayerState.Sta7AwaitingReleaseResponse); // AR-1
            case (UpperLayerState.Sta6Established, UpperLayerEvent.ReleaseRequestReceived): return (Go, UpperLayerState.Sta8AwaitingLocalReleaseResponse); // AR-2
            case (UpperLayerState.Sta7AwaitingReleaseResponse, UpperLayerEvent.DataReceived): return (Go, state); // AR-6
            case (UpperLayerState.Sta7AwaitingReleaseResponse, UpperLayerEvent.ReleaseResponseReceived): return (UpperLayerAction.Close, UpperLayerState.Sta1Idle); // AR-3
            case (UpperLayerState.Sta7AwaitingReleaseResponse, UpperLayerEvent.ReleaseRequestReceived): // AR-8: release collision
                return (Go, IsRequestor ? UpperLayerState.Sta9CollisionRequestorAwaitingLocalResponse : UpperLayerState.Sta10CollisionAcceptorAwaitingReleaseResponse);
            case (UpperLayerState.Sta8AwaitingLocalReleaseResponse, UpperLayerEvent.LocalData): return (Go, state); // AR-7
            case (UpperLayerState.Sta8AwaitingLocalReleaseResponse, UpperLayerEvent.LocalReleaseResponse): return (Go, UpperLayerState.Sta13AwaitingTransportClose); // AR-4
            case (UpperLayerState.Sta9CollisionRequestorAwaitingLocalResponse, UpperLayerEvent.LocalReleaseResponse): return (Go, UpperLayerState.Sta11CollisionRequestorAwaitingReleaseResponse); // AR-9
            case (UpperLayerState.Sta10CollisionAcceptorAwaitingReleaseResponse, UpperLayerEvent.ReleaseResponseReceived): return (Go, UpperLayerState.Sta12CollisionAcceptorAwaitingLocalResponse); // AR-10
            case (UpperLayerState.Sta11CollisionRequestorAwaitingReleaseResponse, UpperLayerEvent.ReleaseResponseReceived): return (UpperLayerAction.Close, UpperLayerState.Sta1Idle); // AR-3
            case (UpperLayerState.Sta12CollisionAcceptorAwaitingLocalResponse, UpperLayerEvent.LocalReleaseResponse): return (Go, UpperLayerState.Sta13AwaitingTransportClose); // AR-4

            case (UpperLayerState.Sta2AwaitingAssociateRequest or UpperLayerState.Sta13AwaitingTransportClose, UpperLayerEvent.ArtimExpired):
                return (UpperLayerAction.Close, UpperLayerState.Sta1Idle); // AA-2
            case (UpperLayerState.Sta13AwaitingTransportClose, UpperLayerEvent.TransportClosed): return (UpperLayerAction.Close, UpperLayerState.Sta1Idle); // AR-5
            case (UpperLayerState.Sta13AwaitingTransportClose, UpperLayerEvent.AssociateRequestReceived): return (UpperLayerAction.SendAbortAndClose, state); // AA-7
            case (UpperLayerState.Sta13AwaitingTransportClose, UpperLayerEvent.AbortReceived): return (UpperLayerAction.Close, UpperLayerState.Sta1Idle); // AA-2
            case (UpperLayerState.Sta13AwaitingTransportClose, _) when IsReceived(evt): return (UpperLayerAction.Ignore, state); // AA-6
            case (UpperLayerState.Sta2AwaitingAssociateRequest, UpperLayerEvent.AbortReceived or UpperLayerEvent.TransportClosed): return (UpperLayerAction.Close, UpperLayerState.Sta1Idle); // AA-2/AA-5
            case (UpperLayerState.Sta2AwaitingAssociateRequest, _) when IsReceived(evt): return (UpperLayerAction.SendAbortAndClose, UpperLayerState.Sta13AwaitingTransportClose); // AA-1
            case (_, UpperLayerEvent.AbortReceived) when state >= UpperLayerState.Sta3AwaitingLocalAssociateResponse: return (UpperLayerAction.Close, UpperLayerState.Sta1Idle); // AA-3
            case (_, UpperLayerEvent.TransportClosed) when state >= UpperLayerState.Sta3AwaitingLocalAssociateResponse: return (UpperLayerAction.Close, UpperLayerState.Sta1Idle); // AA-4
            case (_, UpperLayerEvent.LocalAbort) when state >= UpperLayerState.Sta3AwaitingLocalAssociateResponse: return (UpperLayerAction.SendAbortAndClose, UpperLayerState.Sta13AwaitingTransportClose); // AA-1
            case (_, _) when IsReceived(evt) && state >= UpperLayerState.Sta3AwaitingLocalAssociateResponse:
                return (UpperLayerAction.SendAbortAndClose, UpperLayerState.Sta13AwaitingTransportClose); // AA-8: unexpected PDU
            default:
                throw new InvalidOperationException($"PS3.8 Table 9-10 allows no {evt} in {state}.");
        }
    }

    private static bool IsReceived(UpperLayerEvent evt) => evt is UpperLayerEvent.AssociateAcceptReceived or UpperLayerEvent.AssociateRejectReceived
        or UpperLayerEvent.AssociateRequestReceived or UpperLayerEvent.DataReceived or UpperLayerEvent.ReleaseRequestReceived
        or UpperLayerEvent.ReleaseResponseReceived or UpperLayerEvent.AbortReceived or UpperLayerEvent.InvalidPduReceived;
}
