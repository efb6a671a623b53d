using MiniGptMed.DicomNode.Cli;

namespace MiniGptMed.DicomNode.Tests.Cli;

/// <summary>
/// The whole command line on System.CommandLine, verb by verb: generated help lists each verb's options, a misspelt
/// option is refused with a suggestion, a bad value is refused naming the option; both exit 2 with the verb's usage
/// on stderr and nothing on stdout, before anything is opened, sent or written.
/// </summary>
public sealed class CommandLineTests
{
    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static TheoryData<string, string[]> Verbs => new()
    {
        { "version", [] },
        { "serve", ["--config", "--data", "--port", "--aet", "--flush"] },
        { "echo", ["HOST", "PORT", "--aet", "--aec", "--tls-ca", "--tls-cert", "--tls-key"] },
        { "send", ["HOST", "PORT", "PATH", "--aet", "--aec", "--parallel", "--tls-ca", "--tls-cert", "--tls-key"] },
        { "dump", ["FILE", "--json"] },
        { "render", ["FILE", "--frame", "--window", "--out", "--timings"] },
        { "analyze", ["INPUT", "--task", "--prompt", "--box", "--window", "--slices", "--out", "--json", "--config", "--model", "--provider", "--max-new-tokens"] },
        { "evaluate", ["DIR", "--labels", "--task", "--out", "--json", "--model", "--window", "--slices", "--config", "--provider"] },
        { "studies list", ["--state", "--limit", "--json", "--config", "--data"] },
        { "studies show", ["UID", "--json", "--config", "--data"] },
        { "jobs list", ["--state", "--kind", "--limit", "--json", "--config", "--data"] },
        { "jobs retry", ["ID", "--json", "--config", "--data"] },
        { "worklist", ["--ae", "--modality", "--priority", "--state", "--limit", "--json", "--config", "--data"] },
        { "user add", ["NAME", "--role", "--password-stdin", "--config", "--data"] },
        { "user list", ["--json", "--config", "--data"] },
        { "ae add", ["AE", "--group-by", "--stable-seconds", "--max-wait-seconds", "--late-arrivals", "--require-known-source", "--rule", "--destination", "--json", "--config", "--data"] },
        { "source update", ["NAME", "--ae-title", "--address", "--called-ae", "--results-port", "--json", "--config", "--data"] },
        { "destination echo", ["NAME", "--config", "--data"] },
        { "rule remove", ["NAME", "--force", "--json", "--config", "--data"] },
    };

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Help_OfEachVerb_ListsItsArgumentsAndOptions(string verb, string[] expected)
    {
        var (code, stdout, stderr) = await RunAsync([.. verb.Split(' '), "--help"]);

        Assert.True(code == 0, stderr);
        // The usage line names the verb (after the executable's name, which under the test runner is not minigptmed).
        Assert.Contains($" {verb} ", stdout, StringComparison.Ordinal);
        foreach (var name in expected)
        {
            Assert.Contains(name, stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--port", "serve", "--prot", "104")]
    [InlineData("--aet", "echo", "127.0.0.1", "104", "--aett", "X")]
    [InlineData("--parallel", "send", "127.0.0.1", "104", "a.dcm", "--paralel", "2")]
    [InlineData("--json", "dump", "--jsn", "a.dcm")]
    [InlineData("--frame", "render", "a.dcm", "--frme", "2", "--out", "a.png")]
    [InlineData("--prompt", "analyze", "a.png", "--task", "vqa", "--promt", "why?")]
    [InlineData("--labels", "evaluate", "set", "--lables", "labels.json")]
    [InlineData("--limit", "studies", "list", "--limt", "5")]
    [InlineData("--kind", "jobs", "list", "--knd", "export")]
    [InlineData("--priority", "worklist", "--priorty", "stat")]
    [InlineData("--role", "user", "add", "ada", "--rol", "admin")]
    [InlineData("--called-ae", "source", "add", "ct", "--caled-ae", "CT")]
    [InlineData("--force", "rule", "remove", "r", "--forse")]
    [InlineData("list", "jobs", "lst")]
    public async Task MisspeltOption_ExitsTwo_SuggestingTheRightOne(string suggestion, params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains($"id you mean '{suggestion}'?", stderr, StringComparison.Ordinal);
        Assert.Contains($"usage: minigptmed {args[0]}", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--port must be an integer 0..65535, not '70000'.", "serve", "--port", "70000")]
    [InlineData("--flush is on or off, not 'maybe'.", "serve", "--flush", "maybe")]
    [InlineData("--aet 'ABCDEFGHIJKLMNOPQ' is not an AE title", "serve", "--aet", "ABCDEFGHIJKLMNOPQ")]
    [InlineData("--aec 'BAD\\AE' is not an AE title", "echo", "127.0.0.1", "104", "--aec", "BAD\\AE")]
    [InlineData("PORT '0' is not a TCP port (1-65535).", "echo", "127.0.0.1", "0")]
    [InlineData("--tls-cert and --tls-key need --tls-ca", "send", "127.0.0.1", "104", "a.dcm", "--tls-cert", "c.pem", "--tls-key", "k.pem")]
    [InlineData("--frame must be an integer 1..2147483647, not '0'.", "render", "a.dcm", "--frame", "0", "--out", "a.png")]
    [InlineData("--window: Window 'liver' is neither a preset", "analyze", "a.dcm", "--task", "report", "--window", "liver", "--out", "o")]
    [InlineData("--provider 'gpu' is not auto, cuda or cpu.", "analyze", "a.png", "--task", "report", "--provider", "gpu")]
    [InlineData("--max-new-tokens must be an integer 1..100000, not '0'.", "analyze", "a.png", "--task", "report", "--max-new-tokens", "0")]
    [InlineData("--box '1,2' is not x1,y1,x2,y2.", "analyze", "a.png", "--task", "identify", "--box", "1,2")]
    [InlineData("--task: unknown task 'summarise'", "analyze", "a.png", "--task", "summarise")]
    [InlineData("--task: unknown task 'summarise'", "evaluate", "set", "--labels", "l.json", "--task", "summarise")]
    [InlineData("--slices 'range:0..10' is not all, middle, even:N or every:K.", "evaluate", "set", "--labels", "l.json", "--slices", "range:0..10")]
    [InlineData("--state 'lost' is not a study state", "studies", "list", "--state", "lost")]
    [InlineData("--state 'done' is not a job state", "jobs", "list", "--state", "pending,done")]
    [InlineData("--kind 'print' is not analyse, export or notify.", "jobs", "list", "--kind", "print")]
    [InlineData("ID 'abc' is not a job id (a positive integer).", "jobs", "cancel", "abc")]
    [InlineData("--priority: 'soon' is not stat, urgent, failed or routine.", "worklist", "--priority", "soon")]
    [InlineData("--role 'root' is not admin or viewer.", "user", "add", "ada", "--role", "root", "--password-stdin")]
    [InlineData("--group-by 'tree' is not study or series.", "ae", "add", "CHEST", "--group-by", "tree")]
    [InlineData("--stable-seconds", "ae", "update", "CHEST", "--stable-seconds", "soon")]
    public async Task BadValue_ExitsTwo_NamingTheOption(string message, params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Contains($"usage: minigptmed {args[0]}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnalyzePrompts_TwoWithoutATaskBetween_ExitTwo()
    {
        var (code, _, stderr) = await RunAsync("analyze", "a.png", "--task", "vqa", "--prompt", "why?", "--prompt", "where?");

        Assert.Equal(2, code);
        Assert.Contains("minigptmed analyze: --prompt after the last --task's prompt", stderr, StringComparison.Ordinal);
    }
}
