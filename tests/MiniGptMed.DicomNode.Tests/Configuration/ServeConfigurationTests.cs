using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Pdu;
using MiniGptMed.DicomNode.Cli;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Reception;
using IAdministration = MiniGptMed.DicomNode.Administration.IAdministration;
using Source = MiniGptMed.DicomNode.Administration.Source;

namespace MiniGptMed.DicomNode.Tests.Configuration;

/// <summary>The node started from configuration files, as <c>minigptmed serve --config FILE</c> does, and peers associating with it.</summary>
public sealed class ServeConfigurationTests : IDisposable
{
    private const string StrictConfig = """
        {
          "Reception": {
            "Port": 0,
            "ListeningAes": [ { "AeTitle": "NODE", "RequireKnownSource": true }, { "AeTitle": "OPEN" } ],
            "Sources": [ { "AeTitle": "CT1", "Addresses": [ "127.0.0.0/8", "::1" ], "CalledAeTitles": [ "NODE" ] } ]
          }
        }
        """;

    private static readonly string Corpus = TestPaths.PydicomTestFiles;

    private readonly string _folder = Directory.CreateTempSubdirectory("minigptmed-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task DefaultRules_AcceptAnyCallingAeFromLoopback_AndRejectOtherCalledAes()
    {
        await using var node = await StartAsync("""{ "Reception": { "Port": 0, "ListeningAes": [ { "AeTitle": "NODE" } ] } }""");
        Assert.Equal(0, await node.EchoAsync("WHOEVER", "NODE"));
        Assert.Equal(RejectReason.CalledAeTitleNotRecognized, await node.RejectionAsync("WHOEVER", "MINIGPTMED"));
    }

    [Fact]
    public async Task DefaultRules_RejectAPeerOnAnotherAddress_UntilItIsASource()
    {
        // This machine's own non-loopback address: a connection to it arrives from it, so the node sees a remote peer.
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .First(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        await using var node = await StartAsync("""{ "Reception": { "Port": 0, "ListeningAes": [ { "AeTitle": "NODE" } ] } }""");
        // No rule admits the address: the connection is closed at accept, before it takes a slot, and said once.
        await Assert.ThrowsAnyAsync<Exception>(() => node.EchoAsync("CT1", "NODE", host: address.ToString()));
        Assert.Single(node.Logs, l => l.StartsWith("Warning 1008 ", StringComparison.Ordinal) && l.Contains("no access rule admits this address", StringComparison.Ordinal) && l.Contains(address.ToString(), StringComparison.Ordinal));

        // Sources live in the node's database (seeded from the file at the first start): added there, no restart.
        Assert.True((await node.Administration.Sources.AddAsync(new Source { Name = "ct1", AeTitle = "CT1", Addresses = [address.ToString()] }, "test")).Succeeded);
        await node.WaitForAsync(async () =>
        {
            try
            {
                return await node.RejectionAsync("CT1", "NODE", expectRejection: false, host: address.ToString()) is null;
            }
            catch (Exception ex) when (ex is AssociationAbortedException or IOException or SocketException)
            {
                return false; // still closed at accept (seen as an abort or a reset): the edit is not picked up yet
            }
        });
        Assert.Equal(RejectReason.CallingAeTitleNotRecognized, await node.RejectionAsync("CT2", "NODE", host: address.ToString()));
    }

    [Fact]
    public async Task StrictAe_TakesOnlyKnownSources_EvenFromLoopback()
    {
        await using var node = await StartAsync(StrictConfig);
        Assert.Equal(0, await node.EchoAsync("CT1", "NODE"));
        Assert.Equal(RejectReason.CallingAeTitleNotRecognized, await node.RejectionAsync("CT2", "NODE"));
        // The non-strict AE still takes any loopback caller.
        Assert.Equal(0, await node.EchoAsync("CT2", "OPEN"));
    }

    [Fact]
    public async Task AdministeredChange_AppliesToTheNextAssociation_AndAnInvalidFileEditKeepsTheLastGoodRules()
    {
        await using var node = await StartAsync("""{ "Reception": { "Port": 0, "ListeningAes": [ { "AeTitle": "NODE" } ] } }""");
        Assert.Equal(0, await node.EchoAsync("CT2", "NODE"));

        // CT1 becomes a known source and then the AE strict: the next association sees it (this process's change reloads
        // at once). In this order loopback is admitted throughout; the other way round, a poll between the two changes
        // found no rule admitting the address and the connection was closed at accept.
        Assert.True((await node.Administration.Sources.AddAsync(new Source { Name = "ct1", AeTitle = "CT1", Addresses = ["127.0.0.0/8", "::1"], CalledAes = ["NODE"] }, "test")).Succeeded);
        var ae = await node.Administration.Aes.GetAsync("NODE");
        Assert.True((await node.Administration.Aes.UpdateAsync("NODE", ae! with { RequireKnownSource = true }, "test")).Succeeded);
        await node.WaitForAsync(async () => await node.RejectionAsync("CT2", "NODE", expectRejection: false) == RejectReason.CallingAeTitleNotRecognized);
        Assert.Equal(0, await node.EchoAsync("CT1", "NODE"));

        // AEs and sources in the file are no longer read after the first start; a value still read from it that is
        // invalid is logged and the last good rules stay.
        await File.WriteAllTextAsync(node.ConfigFile, """{ "Reception": { "Port": 0, "MaxPduLength": 1, "ListeningAes": [ { "AeTitle": "OTHER" } ] } }""");
        await node.WaitForAsync(async () =>
        {
            await node.EchoAsync("CT1", "NODE");
            return node.Logs.Any(l => l.Contains("Reception:MaxPduLength", StringComparison.Ordinal));
        });
        Assert.Equal(0, await node.EchoAsync("CT1", "NODE"));
        Assert.Equal(RejectReason.CallingAeTitleNotRecognized, await node.RejectionAsync("CT2", "NODE"));
    }

    [Fact]
    public async Task TransferSyntaxList_LimitsWhatIsAccepted()
    {
        // Implicit VR little endian only, plus a syntax nothing here decodes (left out with a warning).
        await using var node = await StartAsync("""
            { "Reception": { "Port": 0, "ListeningAes": [ { "AeTitle": "NODE" } ],
              "TransferSyntaxes": [ "1.2.840.10008.1.2", "1.2.840.10008.1.2.4.100" ] } }
            """);
        Assert.Contains(node.Logs, l => l.Contains("1.2.840.10008.1.2.4.100", StringComparison.Ordinal) && l.StartsWith("Warning", StringComparison.Ordinal));

        // CT_small.dcm is explicit VR little endian: our SCU falls back to implicit VR and transcodes.
        var source = Part10Source.Probe(Path.Combine(Corpus, "CT_small.dcm"));
        var outcome = Assert.Single(await node.Client("CT1", "NODE").StoreAsync([source]));
        Assert.Equal((ushort)0, outcome.Status);
        var stored = DicomFile.Open(Directory.GetFiles(Path.Combine(_folder, "data", "instances"), source.SopInstanceUid + ".dcm", SearchOption.AllDirectories).Single());
        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian, stored.TransferSyntax);
    }

    [Fact]
    public async Task CommandLineAeTitle_OverridesTheConfiguredOnes()
    {
        await using var node = await StartAsync(StrictConfig, new NodeHostSettings { AeTitle = "OTHER" });
        Assert.Equal(RejectReason.CalledAeTitleNotRecognized, await node.RejectionAsync("CT1", "NODE"));
        // The first configured AE's strictness is kept: the source list still applies, and CT1 may only call NODE.
        Assert.Equal(RejectReason.CallingAeTitleNotRecognized, await node.RejectionAsync("CT1", "OTHER"));
    }

    [Fact]
    public async Task Serve_WithInvalidValues_NamesEveryKeyAndExitsTwo()
    {
        var file = Path.Combine(_folder, "bad.json");
        await File.WriteAllTextAsync(file, """
            {
              "Reception": {
                "Port": 70000,
                "ListeningAes": [ { "AeTitle": "BACK\\SLASH" } ],
                "Sources": [ { "AeTitle": "CT1", "Addresses": [ "pacs.example.org" ], "CalledAeTitles": [ "" ] } ],
                "TransferSyntaxes": [ "1.2.3" ],
                "MaxAssociationsPerAddress": 0,
                "FirstMessageTimeoutSeconds": 0
              },
              "Storage": { "MinimumFreeMegabytes": -1 }
            }
            """);
        var (code, stderr) = await ServeAsync("--config", file);
        Assert.Equal(2, code);
        foreach (var key in new[]
        {
            "Reception:Port is 70000", "Reception:ListeningAes:0:AeTitle", "Reception:Sources:0:Addresses:0 'pacs.example.org'",
            "Reception:Sources:0:CalledAeTitles:0 ''", "Reception:TransferSyntaxes:0 '1.2.3'", "Storage:MinimumFreeMegabytes",
            "Reception:MaxAssociationsPerAddress is 0", "Reception:FirstMessageTimeoutSeconds is 0",
        })
        {
            Assert.Contains(key, stderr);
        }

        Assert.DoesNotContain("   at ", stderr); // one line per problem, no stack trace
    }

    [Fact]
    public async Task Serve_WithInvalidPipelineValues_NamesEveryKeyAndExitsTwo()
    {
        var file = Path.Combine(_folder, "bad-pipeline.json");
        await File.WriteAllTextAsync(file, """
            {
              "Assembly": { "StableSeconds": 0, "AeTitles": { "CT_NODE": { "StableSeconds": 900, "MaxWaitSeconds": 600 } } },
              "AnalysisRules": { "Rules": [ { "Name": "x", "Tasks": [ { "Task": "diagnose" } ], "Slices": "some" } ] },
              "Export": { "Destinations": [ { "Name": "pacs", "AeTitle": "", "Host": "pacs", "Port": 0 } ] }
            }
            """);
        var (code, stderr) = await ServeAsync("--config", file);
        Assert.Equal(2, code);
        foreach (var key in new[]
        {
            "Assembly:StableSeconds is 0", "Assembly:AeTitles:CT_NODE:StableSeconds is 900", "AnalysisRules:Rules:0:Tasks:0:Task 'diagnose'",
            "AnalysisRules:Rules:0:Slices", "Export:Destinations:0:AeTitle ''", "Export:Destinations:0:Port is 0",
        })
        {
            Assert.Contains(key, stderr);
        }
    }

    [Theory]
    [InlineData("""{ "Reception": { "Port": "eleven" } }""", "'eleven' at 'Reception:Port'")]
    [InlineData("""{ "Reception": """, "Could not parse the JSON file")]
    public async Task Serve_WithAnUnreadableFile_SaysWhyAndExitsTwo(string content, string expected)
    {
        var file = Path.Combine(_folder, "bad.json");
        await File.WriteAllTextAsync(file, content);
        var (code, stderr) = await ServeAsync("--config", file);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public async Task Serve_WithAMissingConfigFile_ExitsTwo()
    {
        var (code, stderr) = await ServeAsync("--config", Path.Combine(_folder, "missing.json"));
        Assert.Equal(2, code);
        Assert.Contains("missing.json", stderr);
    }

    [Fact]
    public async Task Serve_WhenItsDicomPortOrItsAdminUrlIsTaken_SaysWhichAndExitsOne()
    {
        // Every address, IPv4 and IPv6, as the node's own DICOM listener binds.
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.IPv6Any, 0);
        taken.Server.DualMode = true;
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var data = Path.Combine(_folder, "taken");

        var (code, stderr) = await ServeAsync("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", data);
        Assert.Equal(1, code);
        Assert.Contains("cannot listen for DICOM", stderr);

        // The admin surface's port: before, Kestrel's bind failure escaped as an unhandled exception (exit 134).
        using var takenHttp = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        takenHttp.Start();
        var httpPort = ((System.Net.IPEndPoint)takenHttp.LocalEndpoint).Port;
        using var output = new StringWriter();
        using var errors = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // The settings serve builds from its options, with the admin URL the test run otherwise overrides (TestAdminUrl).
        code = await ServeCommand.RunAsync(
            new NodeHostSettings { Port = 0, DataDirectory = data, AdminUrl = $"http://127.0.0.1:{httpPort}" }, output, errors, timeout.Token);
        stderr = errors.ToString();
        Assert.Equal(1, code);
        Assert.Contains("cannot listen for HTTP (Admin:Url)", stderr);
        Assert.Contains($"127.0.0.1:{httpPort}", stderr);
    }

    [Fact]
    public void EmbeddedDefaults_ShipBesideTheExecutable_AndValidate()
    {
        var defaults = Path.Combine(AppContext.BaseDirectory, NodeHost.DefaultSettingsFile);
        Assert.True(File.Exists(defaults), $"{defaults} is missing");
        using var host = NodeHost.Build(new NodeHostSettings());
        NodeHost.ValidateConfiguration(host.Services);
        var rules = host.Services.GetRequiredService<AccessRulesProvider>().Current();
        Assert.Equal([new ListeningAe(ReceptionOptions.DefaultAeTitle)], rules.ListeningAes);
        Assert.Empty(rules.Sources);
    }

    [Fact]
    public void ProductionExample_Validates()
    {
        var example = Path.Combine(RepositoryRoot(), "config", "appsettings.production.example.json");
        using var host = NodeHost.Build(new NodeHostSettings { ConfigFile = example });
        NodeHost.ValidateConfiguration(host.Services);
        Assert.Equal(3, host.Services.GetRequiredService<AccessRulesProvider>().Current().Sources.Count);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MiniGptMed.DicomNode.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private async Task<(int Code, string Stderr)> ServeAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var code = await CommandLine.RunAsync(["serve", .. args], stdout, stderr, cancellationToken: timeout.Token);
        return (code, stderr.ToString());
    }

    [Fact]
    public async Task ADataFolderOnTmpfs_IsSaidAtStart_ToLoseEverythingAtAReboot()
    {
        // /dev/shm is tmpfs on Linux: what the node stores there is gone when the machine restarts, and the admin hears it.
        var data = Directory.CreateTempSubdirectory("minigptmed-shm-");
        var inMemory = Path.Combine("/dev/shm", data.Name);
        data.Delete();
        try
        {
            await using var node = await StartAsync("""{ "Reception": { "Port": 0, "ListeningAes": [ { "AeTitle": "NODE" } ] } }""", dataDirectory: inMemory);
            Assert.Single(node.Logs, l => l.StartsWith("Warning 5007 ", StringComparison.Ordinal)
                && l.Contains(inMemory, StringComparison.Ordinal) && l.Contains("tmpfs", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(inMemory, recursive: true);
        }
    }

    private async Task<RunningNode> StartAsync(string config, NodeHostSettings? settings = null, string? dataDirectory = null)
    {
        var file = Path.Combine(_folder, $"{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, config);
        var logs = new ConcurrentQueue<string>();
        var host = NodeHost.Build((settings ?? new NodeHostSettings()) with
        {
            ConfigFile = file,
            DataDirectory = dataDirectory ?? Path.Combine(_folder, "data"),
            ConfigureLogging = b => b.AddProvider(new ListLoggerProvider(logs)),
        });
        await host.StartAsync();
        return new RunningNode(host, file, logs);
    }

    private sealed class RunningNode(IHost host, string configFile, ConcurrentQueue<string> logs) : IAsyncDisposable
    {
        public string ConfigFile => configFile;

        public IReadOnlyCollection<string> Logs => logs;

        public IAdministration Administration => host.Services.GetRequiredService<IAdministration>();

        private int Port => host.Services.GetRequiredService<ReceptionService>().LocalEndPoint.Port;

        public DicomClient Client(string calling, string called, string host = "127.0.0.1") => new(host, Port, calling, called);

        public Task<ushort> EchoAsync(string calling, string called, string host = "127.0.0.1") => Client(calling, called, host).EchoAsync();

        public async Task<RejectReason?> RejectionAsync(string calling, string called, bool expectRejection = true, string host = "127.0.0.1")
        {
            try
            {
                await EchoAsync(calling, called, host);
                Assert.False(expectRejection, $"{calling} -> {called} was accepted");
                return null;
            }
            catch (AssociationRejectedException ex)
            {
                return ex.Reject.Reason;
            }
        }

        /// <summary>File change notifications arrive asynchronously: try until the condition holds, for at most 15 s.</summary>
        public async Task WaitForAsync(Func<Task<bool>> condition)
        {
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (!await condition())
            {
                Assert.True(DateTime.UtcNow < deadline, "the configuration change was not picked up within 15 s");
                await Task.Delay(50);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    private sealed class ListLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

        public void Dispose()
        {
        }

        private sealed class ListLogger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {eventId.Id} {formatter(state, exception)}");
        }
    }
}
