using MiniGptMed.Dicom.Network.Pdu;

namespace MiniGptMed.Dicom.Network.Association;

/// <summary>The peer answered our A-ASSOCIATE-RQ with A-ASSOCIATE-RJ.</summary>
public sealed class AssociationRejectedException(AssociateRejectPdu reject)
    : Exception($"Association rejected: result {reject.Result}, source {reject.Source}, reason {(byte)reject.Reason} ({Describe(reject)}).")
{
    public AssociateRejectPdu Reject { get; } = reject;

    private static string Describe(AssociateRejectPdu rj) => (rj.Source, (byte)rj.Reason) switch
    {
        (RejectSource.ServiceUser, 2) => "application context name not supported",
        (RejectSource.ServiceUser, 3) => "calling AE title not recognized",
        (RejectSource.ServiceUser, 7) => "called AE title not recognized",
        (RejectSource.ServiceProviderAcse, 2) => "protocol version not supported",
        (RejectSource.ServiceProviderPresentation, 1) => "temporary congestion",
        (RejectSource.ServiceProviderPresentation, 2) => "local limit exceeded",
        _ => "no reason given",
    };
}

/// <summary>The association ended by A-ABORT (sent or received) or by the transport closing early.</summary>
public sealed class AssociationAbortedException : Exception
{
    public AssociationAbortedException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    public AssociationAbortedException()
        : base("The association was aborted.")
    {
    }

    public AssociationAbortedException(string message)
        : base(message)
    {
    }

    /// <summary>Set when the peer sent the A-ABORT.</summary>
    public AbortPdu? PeerAbort { get; init; }
}
