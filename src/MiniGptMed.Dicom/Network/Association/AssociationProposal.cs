using MiniGptMed.Dicom.Network.Pdu;

namespace MiniGptMed.Dicom.Network.Association;

/// <summary>What a requestor proposes (PS3.8 7.1.1): AE titles, presentation contexts, optional roles and user identity.</summary>
public sealed record AssociationProposal(string CalledAeTitle, string CallingAeTitle, IReadOnlyList<PresentationContextRequestItem> PresentationContexts)
{
    public IReadOnlyList<RoleSelection> RoleSelections { get; init; } = [];

    public UserIdentityRequest? UserIdentity { get; init; }

    /// <summary>PS3.7 D.3.3.3: proposed only when set; the default (absent) means one operation at a time.</summary>
    public AsynchronousOperationsWindow? AsynchronousOperationsWindow { get; init; }

    internal AssociateRequestPdu ToPdu(AssociationOptions options) => new()
    {
        CalledAeTitle = CalledAeTitle,
        CallingAeTitle = CallingAeTitle,
        PresentationContexts = PresentationContexts,
        UserInformation = new UserInformation
        {
            MaximumLength = (uint)options.MaxReceivePduLength,
            ImplementationClassUid = options.ImplementationClassUid,
            ImplementationVersionName = options.ImplementationVersionName,
            AsynchronousOperationsWindow = AsynchronousOperationsWindow,
            RoleSelections = RoleSelections,
            UserIdentity = UserIdentity,
        },
    };
}
