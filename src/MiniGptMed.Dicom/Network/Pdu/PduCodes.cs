namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>PS3.8 9.3.1: the first byte of every Upper Layer PDU.</summary>
public enum PduType : byte
{
    AssociateRequest = 0x01,
    AssociateAccept = 0x02,
    AssociateReject = 0x03,
    DataTransfer = 0x04,
    ReleaseRequest = 0x05,
    ReleaseResponse = 0x06,
    Abort = 0x07,
}

/// <summary>PS3.8 9.3.2 and 9.3.3: variable items of A-ASSOCIATE-RQ/AC, and the user information sub-items of PS3.7 Annex D.</summary>
public enum ItemType : byte
{
    ApplicationContext = 0x10,
    PresentationContextRequest = 0x20,
    PresentationContextAccept = 0x21,
    AbstractSyntax = 0x30,
    TransferSyntax = 0x40,
    UserInformation = 0x50,
    MaximumLength = 0x51,
    ImplementationClassUid = 0x52,
    AsynchronousOperationsWindow = 0x53,
    RoleSelection = 0x54,
    ImplementationVersionName = 0x55,
    SopClassExtendedNegotiation = 0x56,
    SopClassCommonExtendedNegotiation = 0x57,
    UserIdentityRequest = 0x58,
    UserIdentityAccept = 0x59,
}

/// <summary>PS3.8 9.3.8: the source field of A-ABORT (1 is reserved).</summary>
public enum AbortSource : byte
{
    ServiceUser = 0,
    ServiceProvider = 2,
}

/// <summary>PS3.8 9.3.8: the reason/diag field of A-ABORT, meaningful when the source is the service provider.</summary>
public enum AbortReason : byte
{
    NotSpecified = 0,
    UnrecognizedPdu = 1,
    UnexpectedPdu = 2,
    UnrecognizedPduParameter = 4,
    UnexpectedPduParameter = 5,
    InvalidPduParameterValue = 6,
}

/// <summary>PS3.8 9.3.4: the result field of A-ASSOCIATE-RJ.</summary>
public enum RejectResult : byte
{
    Permanent = 1,
    Transient = 2,
}

/// <summary>PS3.8 9.3.4: the source field of A-ASSOCIATE-RJ.</summary>
public enum RejectSource : byte
{
    ServiceUser = 1,
    ServiceProviderAcse = 2,
    ServiceProviderPresentation = 3,
}

/// <summary>
/// PS3.8 9.3.4: the reason/diag field of A-ASSOCIATE-RJ. Its meaning depends on the source, so the values
/// are named with the source they belong to.
/// </summary>
#pragma warning disable CA1069 // PS3.8 9.3.4 reuses the same numbers under each source.
public enum RejectReason : byte
{
    /// <summary>Source 1 (service user), 2 (ACSE) and 1 (presentation: temporary congestion) share the value 1.</summary>
    NoReasonGiven = 1,

    /// <summary>Source 1.</summary>
    ApplicationContextNameNotSupported = 2,

    /// <summary>Source 1.</summary>
    CallingAeTitleNotRecognized = 3,

    /// <summary>Source 1.</summary>
    CalledAeTitleNotRecognized = 7,

    /// <summary>Source 2 (ACSE) uses 2 for protocol version not supported.</summary>
    ProtocolVersionNotSupported = 2,

    /// <summary>Source 3 (presentation).</summary>
    TemporaryCongestion = 1,

    /// <summary>Source 3 (presentation).</summary>
    LocalLimitExceeded = 2,
}
#pragma warning restore CA1069

/// <summary>PS3.8 9.3.3.2: the result/reason of one presentation context in A-ASSOCIATE-AC.</summary>
public enum PresentationContextResult : byte
{
    Acceptance = 0,
    UserRejection = 1,
    NoReason = 2,
    AbstractSyntaxNotSupported = 3,
    TransferSyntaxesNotSupported = 4,
}
