using System.Net;

namespace MiniGptMed.DicomNode.Audit;

/// <summary>What one study contributed to a transfer: its patient and how many instances of each SOP class.</summary>
public sealed record StudyTransfer(string StudyInstanceUid, string? PatientId, string? PatientName, IReadOnlyList<(string SopClassUid, int Instances)> SopClasses);

/// <summary>The DICOM audit messages the node sends (PS3.15 A.5.3), built from what the node knows at each event.</summary>
public static class AuditMessages
{
    /// <summary>PS3.15 A.5.2.2: an AE's AlternativeUserID.</summary>
    public static string AeTitles(IEnumerable<string> titles) => "AETITLES=" + string.Join(';', titles);

    /// <summary>PS3.15 A.5.3.1 Application Activity: the node started or stopped (the launcher is the OS user that ran it).</summary>
    public static AuditEvent ApplicationActivity(bool started, IReadOnlyList<string> aeTitles, DateTimeOffset when) => new(
        AuditCode.ApplicationActivity,
        'E',
        when,
        AuditOutcome.Success,
        [started ? AuditCode.ApplicationStart : AuditCode.ApplicationStop],
        [
            new AuditParticipant("minigptmed", IsRequestor: false, AuditCode.Application, AeTitles(aeTitles), Environment.MachineName),
            new AuditParticipant(Environment.UserName, IsRequestor: true, AuditCode.ApplicationLauncher),
        ],
        []);

    /// <summary>
    /// PS3.15 A.5.3.11 User Authentication: a DICOM association is the peer application's log-on (Login), accepted
    /// (outcome 0) or refused by the association policy (4, with the A-ASSOCIATE-RJ reason as description).
    /// </summary>
    public static AuditEvent AssociationDecision(string callingAe, string calledAe, IPAddress peer, bool accepted, string? refusal, DateTimeOffset when) => new(
        AuditCode.UserAuthentication,
        'E',
        when,
        accepted ? AuditOutcome.Success : AuditOutcome.MinorFailure,
        [AuditCode.Login],
        [
            // The process being authenticated: the calling application, which asked for the association.
            new AuditParticipant(callingAe, IsRequestor: true, null, AeTitles([callingAe]), Address(peer)),
            // The process authenticating it: this node, as the called AE.
            new AuditParticipant(calledAe, IsRequestor: false, null, AeTitles([calledAe]), Environment.MachineName),
        ],
        [])
    {
        OutcomeDescription = accepted ? null : refusal,
    };

    /// <summary>PS3.15 A.5.3.10 Security Alert, Node Authentication: a peer failed the TLS handshake (certificate refused, not TLS, too slow).</summary>
    public static AuditEvent NodeAuthenticationFailure(IPAddress peer, string reason, string localAe, DateTimeOffset when) => new(
        AuditCode.SecurityAlert,
        'E',
        when,
        AuditOutcome.MinorFailure,
        [AuditCode.NodeAuthentication],
        [
            new AuditParticipant(localAe, IsRequestor: false, null, AeTitles([localAe]), Environment.MachineName),
            new AuditParticipant(Address(peer), IsRequestor: true, null, null, Address(peer)),
        ],
        [])
    {
        OutcomeDescription = reason,
    };

    /// <summary>
    /// PS3.15 A.5.3.10 Security Alert for a configuration change (<paramref name="kind"/>: Network, Security or Software
    /// Configuration): who changed what. The admin API and the CLI call it.
    /// </summary>
    public static AuditEvent ConfigurationChanged(string who, string? fromAddress, string what, AuditCode kind, string localAe, DateTimeOffset when) => new(
        AuditCode.SecurityAlert,
        'E',
        when,
        AuditOutcome.Success,
        [kind],
        [
            new AuditParticipant(who, IsRequestor: true, null, null, fromAddress),
            new AuditParticipant(localAe, IsRequestor: false, null, AeTitles([localAe]), Environment.MachineName),
        ],
        // PS3.15 A.5.3.10 Alert Subject: a system object (2), role Security Resource (13), identified by URI (RFC-3881 12).
        [new AuditObject(what, new AuditCode("12", "RFC-3881", "URI"), TypeCode: 2, TypeCodeRole: 13)]);

    /// <summary>
    /// PS3.15 A.5.3.7 DICOM Instances Transferred, received by this node: one message per study and association
    /// (the standard's "may only include information about a single patient"). <paramref name="action"/> is C when
    /// none of the instances was held before, U when some were replaced.
    /// </summary>
    public static AuditEvent InstancesReceived(
        string callingAe, IPAddress peer, string calledAe, StudyTransfer study, char action, int refused, DateTimeOffset when) =>
        Transferred(
            new AuditParticipant(callingAe, IsRequestor: true, AuditCode.SourceRole, AeTitles([callingAe]), Address(peer)),
            new AuditParticipant(calledAe, IsRequestor: false, AuditCode.DestinationRole, AeTitles([calledAe]), Environment.MachineName),
            study, action, refused, when);

    /// <summary>
    /// PS3.15 A.5.3.7 DICOM Instances Transferred, sent by this node (an export): action R (the sender cannot know
    /// whether the receiver held them), this node the requestor and the source.
    /// </summary>
    public static AuditEvent InstancesExported(
        string localAe, string remoteAe, string remoteHost, StudyTransfer study, int failed, DateTimeOffset when) =>
        Transferred(
            new AuditParticipant(localAe, IsRequestor: true, AuditCode.SourceRole, AeTitles([localAe]), Environment.MachineName),
            new AuditParticipant(remoteAe, IsRequestor: false, AuditCode.DestinationRole, AeTitles([remoteAe]), remoteHost),
            study, 'R', failed, when);

    private static AuditEvent Transferred(AuditParticipant source, AuditParticipant destination, StudyTransfer study, char action, int failed, DateTimeOffset when)
    {
        var objects = new List<AuditObject> { AuditObject.Study(study.StudyInstanceUid, study.SopClasses) };
        if (!string.IsNullOrEmpty(study.PatientId))
        {
            objects.Add(AuditObject.Patient(study.PatientId, study.PatientName));
        }

        return new AuditEvent(AuditCode.InstancesTransferred, action, when, failed == 0 ? AuditOutcome.Success : AuditOutcome.MinorFailure, [], [source, destination], objects)
        {
            OutcomeDescription = failed == 0 ? null : $"{failed} instance(s) of the study were not transferred",
        };
    }

    private static string Address(IPAddress address) => (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
