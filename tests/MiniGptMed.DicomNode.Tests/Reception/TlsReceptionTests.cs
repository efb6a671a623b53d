using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.Dicom.Tests.Support;
using MiniGptMed.DicomNode.Audit;
using MiniGptMed.DicomNode.Cli;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Reception;
using MiniGptMed.DicomNode.Tests.Audit;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.Reception;

/// <summary><c>Reception:Tls</c> from configuration, with the CLI's <c>echo</c>/<c>send --tls-*</c> and DCMTK as peers.</summary>
public sealed class TlsReceptionTests : IAsyncLifetime
{
    private static readonly string CtSmall = TestPaths.PydicomTestFile("CT_small.dcm");

    private readonly string _folder = Directory.CreateTempSubdirectory("minigptmed-tlsnode-").FullName;
    private readonly ConcurrentQueue<string> _logs = new();
    private TestCertificates _pki = null!;

    public async Task InitializeAsync() => _pki = await TestCertificates.GetAsync();

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<IHost> StartAsync(string tlsExtra = "", string audit = "")
    {
        var config = Path.Combine(_folder, $"{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "Reception": {
                "Port": 0,
                "Tls": { "Port": 0, "CertificateFile": "{{_pki.Cert("server")}}", "KeyFile": "{{_pki.Key("server")}}",
                         "ClientCertificateMode": "Required", "TrustedCertificatesFile": "{{_pki.CaFile}}" {{tlsExtra}} }
              }
              {{audit}}
            }
            """);
        var host = NodeHost.Build(new NodeHostSettings
        {
            ConfigFile = config,
            DataDirectory = Path.Combine(_folder, "data"),
            ConfigureLogging = b => b.AddProvider(new QueueLoggerProvider(_logs)),
        });
        await host.StartAsync();
        return host;
    }

    private static async Task<(int Code, string Output)> RunAsync(string verb, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync([verb, .. args], stdout, stderr);
        return (code, stdout.ToString() + stderr);
    }

    [Fact]
    public async Task TlsPort_BesideThePlainOne_TakesOurCliWithAClientCertificate_AndAuditsARefusedCertificate()
    {
        await using var collector = SyslogCollector.Udp();
        using var host = await StartAsync(audit: $$""", "Audit": { "Transport": "Udp", "Host": "127.0.0.1", "Port": {{collector.Port}} }""");
        var reception = host.Services.GetRequiredService<ReceptionService>();
        var tlsPort = reception.TlsEndPoint!.Port.ToString();
        Assert.NotEqual(reception.LocalEndPoint.Port, reception.TlsEndPoint.Port);

        string[] tls = ["--tls-ca", _pki.CaFile, "--tls-cert", _pki.Cert("client"), "--tls-key", _pki.Key("client")];
        var echo = await RunAsync("echo", ["127.0.0.1", tlsPort, "--aec", "MINIGPTMED", .. tls]);
        Assert.True(echo.Code == 0, echo.Output);
        var send = await RunAsync("send", ["127.0.0.1", tlsPort, CtSmall, "--aec", "MINIGPTMED", .. tls]);
        Assert.True(send.Code == 0, send.Output);
        Assert.Single(Directory.GetFiles(Path.Combine(reception.DataDirectory, "instances"), "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322.dcm", SearchOption.AllDirectories));

        // The plain port serves on beside it.
        Assert.Equal(0, (await RunAsync("echo", "127.0.0.1", reception.LocalEndPoint.Port.ToString(), "--aec", "MINIGPTMED")).Code);

        // An expired client certificate: refused at the handshake, one Warning, a Security Alert (Node Authentication).
        var expired = await ExternalProcess.RunAsync("echoscu", ["+tls", _pki.Key("expired"), _pki.Cert("expired"), "+cf", _pki.CaFile, "-aec", "MINIGPTMED", "127.0.0.1", tlsPort]);
        Assert.NotEqual(0, expired.ExitCode);
        var alert = await collector.NextAsync("110113");
        var identification = alert.Audit.Element("EventIdentification")!;
        Assert.Equal("4", identification.Attribute("EventOutcomeIndicator")?.Value);
        Assert.Equal("110126", identification.Element("EventTypeCode")?.Attribute("csd-code")?.Value);
        Assert.Contains("CN=EXPIRED", identification.Element("EventOutcomeDescription")?.Value, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", alert.Audit.Elements("ActiveParticipant").Single(p => p.Attribute("UserIsRequestor")?.Value == "true").Attribute("NetworkAccessPointID")?.Value);
        Assert.Single(_logs, l => l.StartsWith("Warning 1200 ", StringComparison.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task DisablePlainPort_OpensOnlyTheTlsPort()
    {
        using var host = await StartAsync(tlsExtra: ", \"DisablePlainPort\": true");
        var reception = host.Services.GetRequiredService<ReceptionService>();
        Assert.Equal(reception.TlsEndPoint, reception.LocalEndPoint);
        var plain = await RunAsync("echo", "127.0.0.1", reception.LocalEndPoint.Port.ToString(), "--aec", "MINIGPTMED");
        Assert.Equal(1, plain.Code);
        await host.StopAsync();
    }

    [Fact]
    public async Task KeyOfAnotherCertificate_StopsTheNodeAtStart_NamingTheKeys()
    {
        var config = Path.Combine(_folder, "bad.json");
        await File.WriteAllTextAsync(config, $$"""
            { "Reception": { "Port": 0, "Tls": { "Port": 0, "CertificateFile": "{{_pki.Cert("server")}}", "KeyFile": "{{_pki.Key("client")}}", "ClientCertificateMode": "Required" } } }
            """);
        using var host = NodeHost.Build(new NodeHostSettings { ConfigFile = config, DataDirectory = Path.Combine(_folder, "data") });
        var error = Assert.Throws<OptionsValidationException>(() => NodeHost.ValidateConfiguration(host.Services));
        Assert.Contains(error.Failures, f => f.StartsWith("Reception:Tls:CertificateFile/Reception:Tls:KeyFile:", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Reception:Tls:TrustedCertificatesFile", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AuditTls_WithoutCollectorCa_StopsTheNodeAtStart_NamingTheKey()
    {
        var config = Path.Combine(_folder, "badaudit.json");
        await File.WriteAllTextAsync(config, """{ "Reception": { "Port": 0 }, "Audit": { "Transport": "Tls", "Host": "audit.example.org" } }""");
        using var host = NodeHost.Build(new NodeHostSettings { ConfigFile = config, DataDirectory = Path.Combine(_folder, "data") });
        var error = Assert.Throws<OptionsValidationException>(() => NodeHost.ValidateConfiguration(host.Services));
        Assert.Contains(error.Failures, f => f.StartsWith($"{AuditOptions.Section}:TrustedCertificatesFile", StringComparison.Ordinal));
    }
}
