namespace MiniGptMed.DicomNode.Audit;

/// <summary>A coded value of the audit schema (PS3.15 A.5.1: csd-code, codeSystemName, originalText).</summary>
public readonly record struct AuditCode(string Code, string CodeSystemName, string OriginalText)
{
    private static AuditCode Dcm(string code, string meaning) => new(code, "DCM", meaning);

    // PS3.16 CID 400 Audit Event ID.
    public static readonly AuditCode ApplicationActivity = Dcm("110100", "Application Activity");
    public static readonly AuditCode InstancesTransferred = Dcm("110104", "DICOM Instances Transferred");
    public static readonly AuditCode SecurityAlert = Dcm("110113", "Security Alert");
    public static readonly AuditCode UserAuthentication = Dcm("110114", "User Authentication");

    // PS3.16 CID 401 Audit Event Type Code.
    public static readonly AuditCode ApplicationStart = Dcm("110120", "Application Start");
    public static readonly AuditCode ApplicationStop = Dcm("110121", "Application Stop");
    public static readonly AuditCode Login = Dcm("110122", "Login");
    public static readonly AuditCode Logout = Dcm("110123", "Logout");
    public static readonly AuditCode NodeAuthentication = Dcm("110126", "Node Authentication");
    public static readonly AuditCode NetworkConfiguration = Dcm("110128", "Network Configuration");
    public static readonly AuditCode SecurityConfiguration = Dcm("110129", "Security Configuration");
    public static readonly AuditCode SoftwareConfiguration = Dcm("110131", "Software Configuration");

    // PS3.16 CID 402 Audit Active Participant Role ID Code.
    public static readonly AuditCode Application = Dcm("110150", "Application");
    public static readonly AuditCode ApplicationLauncher = Dcm("110151", "Application Launcher");
    public static readonly AuditCode DestinationRole = Dcm("110152", "Destination Role ID");
    public static readonly AuditCode SourceRole = Dcm("110153", "Source Role ID");

    // PS3.16 CID 404 Audit Participant Object ID Type Code, and RFC 3881's own.
    public static readonly AuditCode StudyInstanceUid = Dcm("110180", "Study Instance UID");
    public static readonly AuditCode PatientNumber = new("2", "RFC-3881", "Patient Number");

    /// <summary>PS3.15 A.5.1 / RFC 3881 5.4: Audit Source Type 4, "Application Server Process Tier".</summary>
    public static readonly AuditCode ApplicationServerProcess = new("4", "DCM", "Application Server Process Tier");
}
