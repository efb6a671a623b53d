using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using MiniGptMed.DicomNode.Administration;
using MiniGptMed.DicomNode.Cli;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.DicomNode.Tests.Cli;

/// <summary>
/// <c>ae</c>, <c>source</c>, <c>destination</c> and <c>rule</c> through the command line on a node's database (SQLite in
/// the folder named by <c>--data</c>, as <c>serve</c> finds it): changes audited with the OS user, bad input refused
/// with the field named and nothing written, generated help and typo suggestions.
/// </summary>
public sealed class ConfigCommandTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("minigptmed-config-cli-").FullName;

    public async Task InitializeAsync()
    {
        // The database a node's first start leaves (the CLI seeds its configuration from appsettings as that start would).
        await using var node = new NodeDatabase(new DatabaseOptions { Provider = "Sqlite" }, _data, new JobOptions(), TimeProvider.System, NullLoggerFactory.Instance);
        await node.StartAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync([.. args, "--data", _data], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private async Task<T> WithDatabaseAsync<T>(Func<IAdministration, Task<T>> read)
    {
        await using var node = new NodeDatabase(new DatabaseOptions { Provider = "Sqlite" }, _data, new JobOptions(), TimeProvider.System, NullLoggerFactory.Instance);
        await node.StartAsync();
        return await read(node.Administration);
    }

    [Fact]
    public async Task AeAddUpdateRemove_ThroughTheCli_IsStored_AndAuditedWithTheOsUser()
    {
        var added = await RunAsync("ae", "add", "CHEST", "--stable-seconds", "5", "--max-wait-seconds", "300", "--require-known-source", "--destination", "folder");
        var updated = await RunAsync("ae", "update", "CHEST", "--group-by", "series", "--late-arrivals", "reanalyse");
        var shown = await RunAsync("ae", "show", "CHEST", "--json");
        var removed = await RunAsync("ae", "remove", "CHEST");

        Assert.True(added.Code == 0, added.Stderr);
        Assert.Contains("listening AE 'CHEST' added", added.Stdout, StringComparison.Ordinal);
        Assert.True(updated.Code == 0, updated.Stderr);
        Assert.True(shown.Code == 0, shown.Stderr);
        using (var json = JsonDocument.Parse(shown.Stdout))
        {
            var ae = json.RootElement;
            Assert.Equal("Series", ae.GetProperty("groupBy").GetString());
            Assert.Equal("Reanalyse", ae.GetProperty("lateArrivals").GetString());
            Assert.Equal(5, ae.GetProperty("stableSeconds").GetInt32());
            Assert.True(ae.GetProperty("requireKnownSource").GetBoolean());
            Assert.Equal("folder", ae.GetProperty("destinations")[0].GetString());
        }

        Assert.True(removed.Code == 0, removed.Stderr);
        var changes = await WithDatabaseAsync(a => a.ChangesAsync(10, ConfigKind.Ae, "CHEST"));
        Assert.Equal(["remove", "update", "add"], changes.Select(c => c.Action));
        Assert.All(changes, c => Assert.Equal(Environment.UserName, c.Actor));
        Assert.Equal("Study", JsonDocument.Parse(changes[1].Before!).RootElement.GetProperty("groupBy").GetString());
        Assert.Equal("Series", JsonDocument.Parse(changes[1].After!).RootElement.GetProperty("groupBy").GetString());
        Assert.Null(changes[0].After);
        Assert.Null(await WithDatabaseAsync(a => a.Aes.GetAsync("CHEST")));
    }

    [Fact]
    public async Task SourceDestinationRule_AddAndList_WithJson()
    {
        Assert.Equal(0, (await RunAsync("source", "add", "ct1", "--ae-title", "CT1", "--address", "10.1.0.0/16", "--address", "192.168.1.7", "--called-ae", "MINIGPTMED", "--results-port", "11113")).Code);
        Assert.Equal(0, (await RunAsync("destination", "add", "pacs", "--ae-title", "PACS", "--host", "pacs.example.org", "--port", "11112")).Code);
        Assert.Equal(0, (await RunAsync("rule", "add", "head-ct", "--order", "5", "--modality", "CT", "--body-part", "HEAD", "--task", "report", "--task", "detection:bleed", "--window", "brain")).Code);

        var sources = await RunAsync("source", "list", "--json");
        var destinations = await RunAsync("destination", "list", "--json");
        var rules = await RunAsync("rule", "list", "--json");
        var table = await RunAsync("rule", "list");

        using var s = JsonDocument.Parse(sources.Stdout);
        Assert.Equal(["10.1.0.0/16", "192.168.1.7"], s.RootElement[0].GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(11113, s.RootElement[0].GetProperty("resultsPort").GetInt32());
        using var d = JsonDocument.Parse(destinations.Stdout);
        // The seeded folder destination (appsettings has none) and the new one.
        Assert.Equal(["folder", "pacs"], d.RootElement.EnumerateArray().Select(x => x.GetProperty("name").GetString()));
        using var r = JsonDocument.Parse(rules.Stdout);
        Assert.Equal("head-ct", r.RootElement[0].GetProperty("name").GetString());
        Assert.Equal("bleed", r.RootElement[0].GetProperty("tasks")[1].GetProperty("prompt").GetString());
        Assert.StartsWith("ORDER  NAME", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("report,detection:bleed", table.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aeTitle (AE): 'ABCDEFGHIJKLMNOPQ' is 17 characters", "ae", "add", "ABCDEFGHIJKLMNOPQ")]
    [InlineData("aeTitle (AE): 'BAD\\AE' has a backslash", "ae", "add", "BAD\\AE")]
    [InlineData("aeTitle (AE): is empty", "ae", "add", "")]
    [InlineData("aeTitle (--ae-title): is empty", "source", "add", "ct1", "--ae-title", " ", "--address", "10.0.0.1")]
    [InlineData("port (--port): 0 is out of range", "destination", "add", "pacs", "--ae-title", "PACS", "--host", "pacs", "--port", "0")]
    [InlineData("port (--port): 70000 is out of range", "destination", "add", "pacs", "--ae-title", "PACS", "--host", "pacs", "--port", "70000")]
    [InlineData("host (--host): 'pacs..org' is not a host name", "destination", "add", "pacs", "--ae-title", "PACS", "--host", "pacs..org")]
    [InlineData("addresses[1] (--address #2): '10.0.0.0/33' is not an IP address or CIDR", "source", "add", "ct1", "--ae-title", "CT1", "--address", "10.0.0.1", "--address", "10.0.0.0/33")]
    [InlineData("name (NAME): 'folder' is already a destination", "destination", "add", "folder", "--folder", "/tmp")]
    [InlineData("aeTitle (AE): 'MINIGPTMED' is already a listening AE", "ae", "add", "MINIGPTMED")]
    [InlineData("stableSeconds (--stable-seconds): 900 is more than maxWaitSeconds 600", "ae", "add", "CHEST", "--stable-seconds", "900")]
    [InlineData("tasks[0] (--task #1): 'summarise' is not report", "rule", "add", "r", "--task", "summarise")]
    public async Task BadInput_ExitsTwo_NamesTheField_AndWritesNothing(string message, params string[] args)
    {
        Assert.Equal(0, (await RunAsync("ae", "list")).Code);
        var version = await WithDatabaseAsync(a => a.VersionAsync());
        var audited = (await WithDatabaseAsync(a => a.ChangesAsync(1000))).Count;

        var (code, stdout, stderr) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", stderr, StringComparison.Ordinal);
        Assert.Equal(version, await WithDatabaseAsync(a => a.VersionAsync()));
        Assert.Equal(audited, (await WithDatabaseAsync(a => a.ChangesAsync(1000))).Count);
    }

    [Fact]
    public async Task AeRemove_WhileARuleNamesIt_ExitsOne_UntilForced()
    {
        Assert.Equal(0, (await RunAsync("ae", "add", "CHEST")).Code);
        Assert.Equal(0, (await RunAsync("rule", "add", "cxr", "--called-ae", "CHEST", "--task", "report")).Code);

        var refused = await RunAsync("ae", "remove", "CHEST");
        var forced = await RunAsync("ae", "remove", "CHEST", "--force");

        Assert.Equal(1, refused.Code);
        Assert.Contains("in use: rule 'cxr' applies to it", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, forced.Code);
        Assert.Null(await WithDatabaseAsync(a => a.Aes.GetAsync("CHEST")));
    }

    [Fact]
    public async Task UnknownItem_ExitsOne()
    {
        var (code, _, stderr) = await RunAsync("destination", "show", "nowhere");

        Assert.Equal(1, code);
        Assert.Contains("'nowhere' is not a destination", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MistypedOption_ExitsTwo_SuggestingTheRightOne()
    {
        var (code, stdout, stderr) = await RunAsync("ae", "add", "CHEST", "--stable-second", "5");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("--stable-second", stderr, StringComparison.Ordinal);
        Assert.Contains("--stable-seconds", stderr, StringComparison.Ordinal);
        Assert.Contains("usage: minigptmed ae add AE", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MistypedOptionOfAnOlderVerb_ExitsTwo_SuggestingTheRightOne()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await CommandLine.RunAsync(["echo", "127.0.0.1", "104", "--aett", "X"], stdout, stderr);

        Assert.Equal(2, code);
        Assert.Contains("'--aett': did you mean '--aet'?", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("usage: minigptmed echo HOST PORT", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_IsGenerated_ForEveryLevel()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        Assert.Equal(0, await CommandLine.RunAsync(["--help"], stdout, stderr));
        Assert.Equal(0, await CommandLine.RunAsync(["destination", "add", "--help"], stdout, stderr));
        Assert.Equal(0, await CommandLine.RunAsync(["jobs", "--help"], stdout, stderr));
        Assert.Equal(0, await CommandLine.RunAsync(["jobs", "list", "--help"], stdout, stderr));

        var help = stdout.ToString();
        foreach (var verb in new[] { "ae", "source", "destination", "rule", "serve", "send", "echo", "jobs", "studies", "analyze", "render", "dump", "version", "evaluate", "worklist", "user" })
        {
            Assert.Contains($"  {verb} ", help, StringComparison.Ordinal);
        }

        Assert.Contains("--tls-ca", help, StringComparison.Ordinal);
        Assert.Contains("--state", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoCommand_ExitsTwo()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        Assert.Equal(2, await CommandLine.RunAsync([], stdout, stderr));
        Assert.Contains("usage: minigptmed", stderr.ToString(), StringComparison.Ordinal);
    }
}
