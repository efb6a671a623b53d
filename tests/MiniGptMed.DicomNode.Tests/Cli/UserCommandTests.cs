using System.Text.Json;
using MiniGptMed.DicomNode.Cli;
using MiniGptMed.DicomNode.Http.Security;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.Cli;

/// <summary><c>minigptmed user add|key|list|remove</c> on the node's database, in a fresh data folder.</summary>
public sealed class UserCommandTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public async Task Add_BeforeTheFirstStart_CreatesTheDatabase_AndTheUserCanGetAKey()
    {
        var added = await RunAsync("correct horse battery staple\n", "add", "ada", "--role", "admin", "--password-stdin");
        Assert.True(added.Code == 0, added.Stderr);
        Assert.Equal("user 'ada' added with role admin.", added.Stdout.Trim());

        var key = await RunAsync(null, "key", "ada");
        Assert.Equal(0, key.Code);
        Assert.StartsWith(ApiKeys.Prefix, key.Stdout.Trim(), StringComparison.Ordinal);

        var list = await RunAsync(null, "list", "--json");
        var user = Assert.Single(JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray());
        Assert.Equal("ada", user.GetProperty("name").GetString());
        Assert.Equal("admin", user.GetProperty("role").GetString());
        Assert.Equal(1, user.GetProperty("apiKeys").GetInt32());
        // The password is nowhere in the database's text: only its PBKDF2 hash.
        foreach (var file in Directory.EnumerateFiles(_folder.Path, "node.db*"))
        {
            Assert.Equal(-1, (await File.ReadAllBytesAsync(file)).AsSpan().IndexOf("correct horse battery staple"u8));
        }
    }

    [Fact]
    public async Task BadInput_IsExit2WithTheReason_AndWritesNothing()
    {
        Assert.Equal((2, "the password is shorter than 12 characters."), Last(await RunAsync("short\n", "add", "ada", "--role", "admin", "--password-stdin")));
        Assert.Equal((2, "--role 'root' is not admin or viewer."), Last(await RunAsync("correct horse battery staple\n", "add", "ada", "--role", "root", "--password-stdin")));
        Assert.Equal((2, "Option '--role' is required."), Last(await RunAsync("correct horse battery staple\n", "add", "ada", "--password-stdin")));
        Assert.Equal((2, "user name 'a b' has characters other than letters, digits and . _ - @."), Last(await RunAsync(null, "key", "a b")));
        Assert.Equal(2, (await RunAsync(null, "add", "ada", "--role", "admin")).Code);
    }

    [Fact]
    public async Task ADuplicateUser_OrAnUnknownOne_IsExit1()
    {
        Assert.Equal(0, (await RunAsync("correct horse battery staple\n", "add", "ada", "--role", "viewer", "--password-stdin")).Code);
        Assert.Equal((1, "minigptmed user: user 'ada' exists."), Last(await RunAsync("another long password\n", "add", "ada", "--role", "admin", "--password-stdin")));
        Assert.Equal((1, "minigptmed user: user 'bob' not found."), Last(await RunAsync(null, "key", "bob")));
        Assert.Equal(0, (await RunAsync(null, "remove", "ada")).Code);
        Assert.Equal((1, "minigptmed user: user 'ada' not found."), Last(await RunAsync(null, "remove", "ada")));
    }

    private static (int, string) Last((int Code, string Stdout, string Stderr) result) =>
        (result.Code, result.Code == 2
            // A bad argument: the parser's message, or the verb's after "minigptmed user add: " (then the usage).
            ? result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].Replace("minigptmed user add: ", "", StringComparison.Ordinal).Trim()
            : result.Stderr.Trim());

    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(string? stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(["user", .. args, "--data", _folder.Path], stdout, stderr, stdin is null ? null : new StringReader(stdin));
        return (code, stdout.ToString(), stderr.ToString());
    }
}
