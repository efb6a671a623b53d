using System.Net;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.Network.Security;
using MiniGptMed.Dicom.Tests.Support;
using MiniGptMed.DicomNode.Audit;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.Audit;

/// <summary>The audit trail's transports (PS3.15 A.6 TLS, file), its bounded queue, and the messages the admin and export stages will send.</summary>
public sealed class AuditTrailTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("minigptmed-audittrail-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static StudyTransfer Study() => new("1.2.3.4", "PID-7", "Doe^Jane", [("1.2.840.10008.5.1.4.1.1.2", 12)]);

    [Fact]
    public async Task TlsCollector_ReceivesOctetCountedMessages_AndSeesOurClientCertificate()
    {
        var pki = await TestCertificates.GetAsync();
        await using var collector = SyslogCollector.Tls(CertificateFiles.LoadCertificateWithKey(pki.Cert("server"), pki.Key("server")));
        var options = new AuditOptions
        {
            Transport = AuditTransport.Tls,
            Host = "127.0.0.1",
            Port = collector.Port,
            TrustedCertificatesFile = pki.CaFile,
            CertificateFile = pki.Cert("client"),
            KeyFile = pki.Key("client"),
        };
        var trail = new AuditTrail(options, () => _folder, new CapturingLogger<AuditTrail>());
        await trail.StartAsync(CancellationToken.None);
        trail.Record(AuditMessages.InstancesExported("MINIGPTMED", "PACS", "10.0.0.5", Study(), failed: 0, DateTimeOffset.UtcNow));
        trail.Record(AuditMessages.ConfigurationChanged("admin", "10.0.0.9", "Reception:Sources", AuditCode.NetworkConfiguration, "MINIGPTMED", DateTimeOffset.UtcNow));

        // PS3.15 A.5.3.7 for an export: R, this node the requestor and the source.
        var export = await collector.NextAsync("110104");
        var identification = export.Audit.Element("EventIdentification")!;
        Assert.Equal("R", identification.Attribute("EventActionCode")?.Value);
        var source = export.Audit.Elements("ActiveParticipant").Single(p => p.Element("RoleIDCode")?.Attribute("csd-code")?.Value == "110153");
        Assert.Equal("MINIGPTMED", source.Attribute("UserID")?.Value);
        Assert.Equal("true", source.Attribute("UserIsRequestor")?.Value);
        var destination = export.Audit.Elements("ActiveParticipant").Single(p => p.Element("RoleIDCode")?.Attribute("csd-code")?.Value == "110152");
        Assert.Equal("10.0.0.5", destination.Attribute("NetworkAccessPointID")?.Value);
        Assert.Equal("12", export.Audit.Elements("ParticipantObjectIdentification").Single(o => o.Attribute("ParticipantObjectTypeCode")?.Value == "2")
            .Element("SOPClass")?.Attribute("NumberOfInstances")?.Value);

        // PS3.15 A.5.3.10 Security Alert, Network Configuration: who changed what.
        var change = await collector.NextAsync("110113");
        var type = change.Audit.Element("EventIdentification")!.Element("EventTypeCode")!;
        Assert.Equal("110128", type.Attribute("csd-code")?.Value);
        Assert.Equal("admin", change.Audit.Elements("ActiveParticipant").Single(p => p.Attribute("UserIsRequestor")?.Value == "true").Attribute("UserID")?.Value);
        Assert.Equal("Reception:Sources", change.Audit.Element("ParticipantObjectIdentification")?.Attribute("ParticipantObjectID")?.Value);

        Assert.Contains("CN=TESTSCU", collector.ClientSubjects);
        await trail.DisposeAsync();
        Assert.Equal(2, trail.Sent);
    }

    [Fact]
    public async Task TlsCollector_WithACertificateOfAnotherCa_IsRefused_AndTheFailureIsCountedAndLogged()
    {
        var pki = await TestCertificates.GetAsync();
        await using var collector = SyslogCollector.Tls(CertificateFiles.LoadCertificateWithKey(pki.Cert("server"), pki.Key("server")));
        var log = new CapturingLogger<AuditTrail>();
        var trail = new AuditTrail(new AuditOptions { Transport = AuditTransport.Tls, Host = "127.0.0.1", Port = collector.Port, TrustedCertificatesFile = pki.WrongCaFile }, () => _folder, log);
        await trail.StartAsync(CancellationToken.None);
        trail.Record(AuditMessages.ApplicationActivity(true, ["MINIGPTMED"], DateTimeOffset.UtcNow));
        await trail.DisposeAsync();
        Assert.Equal(1, trail.Failed);
        var warning = Assert.Single(log.Lines, l => l.EventId == 5202);
        Assert.Contains("collector certificate refused", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutCollector_SyslogLinesGoToTheLocalFile_OnePerLine()
    {
        var trail = new AuditTrail(new AuditOptions(), () => _folder, new CapturingLogger<AuditTrail>());
        await trail.StartAsync(CancellationToken.None);
        trail.Record(AuditMessages.ApplicationActivity(true, ["MINIGPTMED"], DateTimeOffset.UtcNow));
        trail.Record(AuditMessages.InstancesReceived("CT1", IPAddress.Loopback, "MINIGPTMED", Study() with { PatientName = "Line\nBreak" }, 'C', refused: 1, DateTimeOffset.UtcNow));
        trail.Record(AuditMessages.NodeAuthenticationFailure(IPAddress.Parse("::ffff:10.1.2.3"), "client certificate refused", "MINIGPTMED", DateTimeOffset.UtcNow));
        await trail.DisposeAsync();

        var lines = await File.ReadAllLinesAsync(Path.Combine(_folder, "audit", "audit.log"), Encoding.UTF8);
        Assert.Equal(3, lines.Length);
        var entries = lines.Select(l => SyslogEntry.Parse(Encoding.UTF8.GetBytes(l))).ToList();
        Assert.Equal(["110100", "110104", "110113"], entries.Select(e => e.EventId));
        // A line break inside a value stays inside the one line, as a character reference.
        Assert.Equal("Line\nBreak", entries[1].Audit.Elements("ParticipantObjectIdentification").Single(o => o.Attribute("ParticipantObjectTypeCode")?.Value == "1").Element("ParticipantObjectName")?.Value);
        Assert.Equal("4", entries[1].Audit.Element("EventIdentification")?.Attribute("EventOutcomeIndicator")?.Value);
        Assert.Equal(84, entries[2].Pri);
        var peer = entries[2].Audit.Elements("ActiveParticipant").Single(p => p.Attribute("UserIsRequestor")?.Value == "true");
        Assert.Equal("10.1.2.3", peer.Attribute("NetworkAccessPointID")?.Value);
        Assert.Equal("110126", entries[2].Audit.Element("EventIdentification")!.Element("EventTypeCode")?.Attribute("csd-code")?.Value);
    }

    [Fact]
    public void FullQueue_DropsWithoutWaiting_CountsAndLogsOnce()
    {
        var log = new CapturingLogger<AuditTrail>();
        // Not started: nothing drains the queue of 16.
        var trail = new AuditTrail(new AuditOptions { QueueCapacity = 16 }, () => _folder, log);
        for (var i = 0; i < 20; i++)
        {
            trail.Record(AuditMessages.ApplicationActivity(true, ["MINIGPTMED"], DateTimeOffset.UtcNow));
        }

        Assert.Equal(4, trail.Dropped);
        var warning = Assert.Single(log.Lines, l => l.Level == LogLevel.Warning);
        Assert.Equal(5201, warning.EventId);
    }

    [Fact]
    public void Messages_FollowTheSchemaOrder_OfPs315A51()
    {
        var xml = XElement.Parse(Encoding.UTF8.GetString(AuditMessageWriter.Write(
            AuditMessages.InstancesReceived("CT1", IPAddress.Loopback, "NODE", Study(), 'C', 0, DateTimeOffset.UtcNow), "SRC", null)));
        Assert.Equal("AuditMessage", xml.Name.LocalName);
        // PS3.15 A.5.1: EventIdentification, ActiveParticipant+, AuditSourceIdentification, ParticipantObjectIdentification*.
        Assert.Equal(
            ["EventIdentification", "ActiveParticipant", "ActiveParticipant", "AuditSourceIdentification", "ParticipantObjectIdentification", "ParticipantObjectIdentification"],
            xml.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(["EventID"], xml.Element("EventIdentification")!.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(["ParticipantObjectIDTypeCode", "SOPClass"], xml.Elements("ParticipantObjectIdentification").First().Elements().Select(e => e.Name.LocalName));
        Assert.Equal(["ParticipantObjectIDTypeCode", "ParticipantObjectName"], xml.Elements("ParticipantObjectIdentification").Last().Elements().Select(e => e.Name.LocalName));
        Assert.Equal("4", xml.Element("AuditSourceIdentification")!.Element("AuditSourceTypeCode")?.Attribute("csd-code")?.Value);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", xml.Element("EventIdentification")!.Attribute("EventDateTime")!.Value);
    }
}
