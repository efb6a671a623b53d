namespace MiniGptMed.DicomNode.Audit;

/// <summary>PS3.15 A.5.1 EventOutcomeIndicator.</summary>
public enum AuditOutcome
{
    Success = 0,
    MinorFailure = 4,
    SeriousFailure = 8,
    MajorFailure = 12,
}

/// <summary>
/// One audit message before it is written (PS3.15 A.5.1: EventIdentification, ActiveParticipant+,
/// AuditSourceIdentification, ParticipantObjectIdentification*). The audit source is the node's and is added when written.
/// </summary>
public sealed record AuditEvent(
    AuditCode EventId,
    char Action,
    DateTimeOffset When,
    AuditOutcome Outcome,
    IReadOnlyList<AuditCode> EventTypes,
    IReadOnlyList<AuditParticipant> Participants,
    IReadOnlyList<AuditObject> Objects)
{
    /// <summary>Free text on a failure (never patient data: it goes to syslog collectors and files as is).</summary>
    public string? OutcomeDescription { get; init; }
}

/// <summary>
/// An ActiveParticipant. <see cref="NetworkAccessPointId"/> is an IP address (NetworkAccessPointTypeCode 2) or a
/// host name (1); <see cref="AlternativeUserId"/> carries the AE title as <c>AETITLES=...</c> (PS3.15 A.5.2.2).
/// </summary>
public sealed record AuditParticipant(string UserId, bool IsRequestor, AuditCode? Role = null, string? AlternativeUserId = null, string? NetworkAccessPointId = null)
{
    public string? UserName { get; init; }
}

/// <summary>A ParticipantObjectIdentification: a study (with its SOP classes and counts) or a patient.</summary>
public sealed record AuditObject(string Id, AuditCode IdType, int TypeCode, int TypeCodeRole)
{
    /// <summary>ParticipantObjectName (the patient's name for a patient object).</summary>
    public string? Name { get; init; }

    /// <summary>SOP Class UID and instance count, per class (PS3.15 A.5.1 SOPClass, NumberOfInstances).</summary>
    public IReadOnlyList<(string SopClassUid, int Instances)> SopClasses { get; init; } = [];

    /// <summary>PS3.15 A.5.1: the study participant object object's Type Code 2 (system object), role 3 (report).</summary>
    public static AuditObject Study(string studyInstanceUid, IReadOnlyList<(string, int)> sopClasses) =>
        new(studyInstanceUid, AuditCode.StudyInstanceUid, TypeCode: 2, TypeCodeRole: 3) { SopClasses = sopClasses };

    /// <summary>PS3.15 A.5.1: the patient: Type Code 1 (person), role 1 (patient), ID type RFC-3881 "Patient Number".</summary>
    public static AuditObject Patient(string patientId, string? patientName) =>
        new(patientId, AuditCode.PatientNumber, TypeCode: 1, TypeCodeRole: 1) { Name = string.IsNullOrEmpty(patientName) ? null : patientName };
}
