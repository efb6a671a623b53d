using System.Net;
using MiniGptMed.Dicom.Network.Pdu;

namespace MiniGptMed.Dicom.Network.Association;

/// <summary>What an association policy sees of an A-ASSOCIATE-RQ before anything is accepted.</summary>
public sealed record AssociationRequestInfo(
    string CalledAeTitle,
    string CallingAeTitle,
    IPEndPoint RemoteEndPoint,
    UserIdentityRequest? UserIdentity,
    AssociateRequestPdu Request);

/// <summary>Accept, or the A-ASSOCIATE-RJ fields to answer with (PS3.8 9.3.4).</summary>
public sealed record AssociationDecision(bool Accepted, RejectResult Result, RejectSource Source, RejectReason Reason)
{
    public static readonly AssociationDecision Accept = new(true, default, default, default);

    public static readonly AssociationDecision CalledAeNotRecognized =
        new(false, RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAeTitleNotRecognized);

    public static readonly AssociationDecision CallingAeNotRecognized =
        new(false, RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CallingAeTitleNotRecognized);

    public static readonly AssociationDecision LocalLimitExceeded =
        new(false, RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReason.LocalLimitExceeded);

    public static readonly AssociationDecision NoReasonGiven =
        new(false, RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.NoReasonGiven);

    /// <summary>The server response of a User Identity AC sub-item (PS3.7 D.3.3.7.2), sent when the requestor asked for one.</summary>
    public ReadOnlyMemory<byte>? UserIdentityServerResponse { get; init; }

    public AssociateRejectPdu ToPdu() => new(Result, Source, Reason);
}

/// <summary>
/// Decides per association whether to accept it. Consulted for every A-ASSOCIATE-RQ, so configuration
/// changes apply to the next association without a restart.
/// </summary>
public interface IAssociationPolicy
{
    ValueTask<AssociationDecision> EvaluateAsync(AssociationRequestInfo request, CancellationToken cancellationToken);
}

/// <summary>
/// The out-of-the-box policy: any called and calling AE, from loopback addresses only, so a first try on one
/// machine works and nothing remote gets in until an administrator configures sources.
/// </summary>
public sealed class LoopbackOnlyAssociationPolicy : IAssociationPolicy
{
    public ValueTask<AssociationDecision> EvaluateAsync(AssociationRequestInfo request, CancellationToken cancellationToken)
    {
        var address = request.RemoteEndPoint.Address;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return ValueTask.FromResult(IPAddress.IsLoopback(address) ? AssociationDecision.Accept : AssociationDecision.CallingAeNotRecognized);
    }
}
