using System.Collections.Concurrent;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.Tests.Support;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Reception;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.Audit;

/// <summary>
/// The node's audit trail seen by a syslog collector of the test's own (RFC 5426 UDP), checked field by field against
/// PS3.15 A.5.3 (Application Activity, User Authentication, DICOM Instances Transferred) while real DCMTK peers
/// associate with the node.
/// </summary>
public sealed class ReceptionAuditTests : IAsyncLifetime
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    private readonly string _folder = Directory.CreateTempSubdirectory("minigptmed-audit-").FullName;
    private readonly ConcurrentQueue<string> _logs = new();
    private SyslogCollector _collector = null!;
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        _collector = SyslogCollector.Udp();
        var config = Path.Combine(_folder, "node.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "Reception": { "Port": 0, "ListeningAes": [ { "AeTitle": "NODE" } ] },
              "Audit": { "Transport": "Udp", "Host": "127.0.0.1", "Port": {{_collector.Port}}, "SourceId": "TESTNODE", "EnterpriseSiteId": "SITE1" }
            }
            """);
        _host = NodeHost.Build(new NodeHostSettings
        {
            ConfigFile = config,
            DataDirectory = Path.Combine(_folder, "data"),
            ConfigureLogging = b => b.AddProvider(new QueueLoggerProvider(_logs)),
        });
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _collector.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private int Port => _host.Services.GetRequiredService<ReceptionService>().LocalEndPoint.Port;

    private static XElement Event(SyslogEntry entry) => entry.Audit.Element("EventIdentification")!;

    private static void AssertCode(XElement? code, string value, string system, string meaning)
    {
        Assert.NotNull(code);
        Assert.Equal(value, code.Attribute("csd-code")?.Value);
        Assert.Equal(system, code.Attribute("codeSystemName")?.Value);
        Assert.Equal(meaning, code.Attribute("originalText")?.Value);
    }

    private static void AssertSyslogHeader(SyslogEntry entry, int pri)
    {
        // PS3.15 A.6/A.7: facility 10 (security), severity 5 (notice) or 4 (warning); MSGID DICOM+RFC3881.
        Assert.Equal(pri, entry.Pri);
        Assert.Equal("1", entry.Version);
        Assert.Equal("minigptmed", entry.AppName);
        Assert.Equal("DICOM+RFC3881", entry.MsgId);
        Assert.Equal("-", entry.StructuredData);
        Assert.True(DateTimeOffset.TryParse(entry.Timestamp, out _), entry.Timestamp);
        var source = entry.Audit.Element("AuditSourceIdentification")!;
        Assert.Equal("TESTNODE", source.Attribute("AuditSourceID")?.Value);
        Assert.Equal("SITE1", source.Attribute("AuditEnterpriseSiteID")?.Value);
    }

    [Fact]
    public async Task StartStoreRefuseStop_AreAuditedAsPs315Messages()
    {
        // Application Activity, start (PS3.15 A.5.3.1).
        var start = await _collector.NextAsync("110100");
        AssertSyslogHeader(start, 85);
        Assert.Equal("E", Event(start).Attribute("EventActionCode")?.Value);
        Assert.Equal("0", Event(start).Attribute("EventOutcomeIndicator")?.Value);
        AssertCode(Event(start).Element("EventID"), "110100", "DCM", "Application Activity");
        AssertCode(Event(start).Element("EventTypeCode"), "110120", "DCM", "Application Start");
        var application = start.Audit.Elements("ActiveParticipant").Single(p => p.Element("RoleIDCode")?.Attribute("csd-code")?.Value == "110150");
        Assert.Equal("AETITLES=NODE", application.Attribute("AlternativeUserID")?.Value);
        Assert.Equal("false", application.Attribute("UserIsRequestor")?.Value);

        // Three slices of one study, sent by storescu on one association.
        var series = Path.Combine(_folder, "ct");
        await ExternalProcess.RunCheckedAsync(TestPaths.Python, [TestPaths.Tool("make_ct_series.py"), series, "--slices", "3", "--size", "64"]);
        var first = MiniGptMed.Dicom.IO.DicomFile.Open(Directory.GetFiles(series).Order().First()).Dataset;
        var studyUid = first.GetString(MiniGptMed.Dicom.Data.DicomTags.StudyInstanceUID)!;
        var patientId = first.GetString(MiniGptMed.Dicom.Data.DicomTags.PatientID)!;
        var patientName = first.GetString(MiniGptMed.Dicom.Data.DicomTags.PatientName)!;
        var store = await ExternalProcess.RunAsync("storescu", ["-aet", "CT1", "-aec", "NODE", "+sd", "127.0.0.1", Port.ToString(), series]);
        Assert.True(store.ExitCode == 0, store.StandardError);

        // User Authentication, Login, accepted (PS3.15 A.5.3.11).
        var login = await _collector.NextAsync("110114", e => Event(e).Attribute("EventOutcomeIndicator")?.Value == "0");
        AssertSyslogHeader(login, 85);
        AssertCode(Event(login).Element("EventTypeCode"), "110122", "DCM", "Login");
        var peer = login.Audit.Elements("ActiveParticipant").Single(p => p.Attribute("UserIsRequestor")?.Value == "true");
        Assert.Equal("CT1", peer.Attribute("UserID")?.Value);
        Assert.Equal("127.0.0.1", peer.Attribute("NetworkAccessPointID")?.Value);
        Assert.Equal("2", peer.Attribute("NetworkAccessPointTypeCode")?.Value);

        // DICOM Instances Transferred (PS3.15 A.5.3.7): one message for the study of the association.
        var transfer = await _collector.NextAsync("110104");
        AssertSyslogHeader(transfer, 85);
        AssertCode(Event(transfer).Element("EventID"), "110104", "DCM", "DICOM Instances Transferred");
        Assert.Equal("C", Event(transfer).Attribute("EventActionCode")?.Value);
        Assert.Equal("0", Event(transfer).Attribute("EventOutcomeIndicator")?.Value);
        var participants = transfer.Audit.Elements("ActiveParticipant").ToList();
        var source = participants.Single(p => p.Element("RoleIDCode")?.Attribute("csd-code")?.Value == "110153");
        AssertCode(source.Element("RoleIDCode"), "110153", "DCM", "Source Role ID");
        Assert.Equal("CT1", source.Attribute("UserID")?.Value);
        Assert.Equal("AETITLES=CT1", source.Attribute("AlternativeUserID")?.Value);
        Assert.Equal("true", source.Attribute("UserIsRequestor")?.Value);
        Assert.Equal("127.0.0.1", source.Attribute("NetworkAccessPointID")?.Value);
        var destination = participants.Single(p => p.Element("RoleIDCode")?.Attribute("csd-code")?.Value == "110152");
        AssertCode(destination.Element("RoleIDCode"), "110152", "DCM", "Destination Role ID");
        Assert.Equal("NODE", destination.Attribute("UserID")?.Value);
        Assert.Equal("false", destination.Attribute("UserIsRequestor")?.Value);

        var objects = transfer.Audit.Elements("ParticipantObjectIdentification").ToList();
        Assert.Equal(2, objects.Count);
        var study = objects.Single(o => o.Attribute("ParticipantObjectTypeCode")?.Value == "2");
        Assert.Equal("3", study.Attribute("ParticipantObjectTypeCodeRole")?.Value);
        Assert.Equal(studyUid, study.Attribute("ParticipantObjectID")?.Value);
        AssertCode(study.Element("ParticipantObjectIDTypeCode"), "110180", "DCM", "Study Instance UID");
        var sopClass = Assert.Single(study.Elements("SOPClass"));
        Assert.Equal(CtImageStorage, sopClass.Attribute("UID")?.Value);
        Assert.Equal("3", sopClass.Attribute("NumberOfInstances")?.Value);
        var patient = objects.Single(o => o.Attribute("ParticipantObjectTypeCode")?.Value == "1");
        Assert.Equal("1", patient.Attribute("ParticipantObjectTypeCodeRole")?.Value);
        Assert.Equal(patientId, patient.Attribute("ParticipantObjectID")?.Value);
        AssertCode(patient.Element("ParticipantObjectIDTypeCode"), "2", "RFC-3881", "Patient Number");
        Assert.Equal(patientName, patient.Element("ParticipantObjectName")?.Value);

        // The same series again replaces held copies: action U.
        store = await ExternalProcess.RunAsync("storescu", ["-aet", "CT1", "-aec", "NODE", "+sd", "127.0.0.1", Port.ToString(), series]);
        Assert.True(store.ExitCode == 0, store.StandardError);
        Assert.Equal("U", Event(await _collector.NextAsync("110104")).Attribute("EventActionCode")?.Value);

        // A refused association: User Authentication with outcome 4 (minor failure), PRI 84 (warning), the reason.
        var refused = await ExternalProcess.RunAsync("echoscu", ["-aet", "CT9", "-aec", "NOTNODE", "127.0.0.1", Port.ToString()]);
        Assert.NotEqual(0, refused.ExitCode);
        var failure = await _collector.NextAsync("110114", e => Event(e).Attribute("EventOutcomeIndicator")?.Value == "4");
        AssertSyslogHeader(failure, 84);
        Assert.Contains("CalledAeTitleNotRecognized", Event(failure).Element("EventOutcomeDescription")?.Value, StringComparison.Ordinal);
        Assert.Equal("CT9", failure.Audit.Elements("ActiveParticipant").Single(p => p.Attribute("UserIsRequestor")?.Value == "true").Attribute("UserID")?.Value);

        // Application Activity, stop.
        await _host.StopAsync();
        var stop = await _collector.NextAsync("110100");
        AssertCode(Event(stop).Element("EventTypeCode"), "110121", "DCM", "Application Stop");

        // Patient data went into the audit message only, never into the log.
        Assert.DoesNotContain(_logs, line => line.Contains(patientId, StringComparison.Ordinal) || line.Contains(patientName, StringComparison.Ordinal));
    }
}

/// <summary>Every log line of the host, at every level (Debug included), for assertions.</summary>
internal sealed class QueueLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new QueueLogger(lines);

    public void Dispose()
    {
    }

    private sealed class QueueLogger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {eventId.Id} {formatter(state, exception)} {exception}");
    }
}
