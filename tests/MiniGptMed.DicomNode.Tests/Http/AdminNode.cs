using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Http;
using MiniGptMed.DicomNode.Http.Security;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Reception;
using MiniGptMed.DicomNode.Tests.EndToEnd;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.Http;

/// <summary>
/// A whole node in this process (<see cref="NodeHost.Build"/>, as <c>serve</c> builds it) with its admin surface on
/// <paramref name="adminUrl"/> (port 0: the OS chooses), its own data folder and the fast test configuration, plus
/// what the HTTP tests need: its users, API keys, and clients that log in like a browser.
/// </summary>
internal sealed partial class AdminNode : IAsyncDisposable
{
    public const string Password = "a long test password";

    private readonly TempDirectory _folder;

    private AdminNode(IHost host, string configFile, TempDirectory folder)
    {
        Host = host;
        _folder = folder;
        ConfigFile = configFile;
        var url = host.Services.GetRequiredService<AdminEndpoint>().Url ?? throw new InvalidOperationException("The admin surface did not start.");
        // Bound to every interface: call it on loopback.
        BaseAddress = new Uri(url.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    public IHost Host { get; }

    public string ConfigFile { get; }

    public Uri BaseAddress { get; }

    public string DataDirectory => _folder["data"];

    public NodeDatabase Database => Host.Services.GetRequiredService<NodeDatabase>();

    public int DicomPort => Host.Services.GetRequiredService<ReceptionService>().LocalEndPoint.Port;

    /// <summary>Starts a node; <paramref name="adjust"/> changes the test configuration first.</summary>
    public static async Task<AdminNode> StartAsync(string adminUrl, Action<JsonObject>? adjust = null)
    {
        var folder = new TempDirectory();
        var configuration = NodeProcess.Configuration(stableSeconds: 1, destination: null);
        adjust?.Invoke(configuration);
        var configFile = folder["node.json"];
        await File.WriteAllTextAsync(configFile, configuration.ToJsonString());
        var host = NodeHost.Build(new NodeHostSettings { ConfigFile = configFile, DataDirectory = folder["data"], Port = 0, AdminUrl = adminUrl });
        await host.StartAsync();
        return new AdminNode(host, configFile, folder);
    }

    public async Task AddUserAsync(string name, string role) =>
        Assert.True(await Database.Users.AddAsync(name, role, PasswordHashing.Hash(Password)));

    public async Task<string> KeyForAsync(string name)
    {
        var key = ApiKeys.Create();
        Assert.True(await Database.Users.AddKeyAsync(name, ApiKeys.HashOf(key)));
        return key;
    }

    /// <summary>A client with no credentials that does not follow redirects (tests look at each answer).</summary>
    public HttpClient Anonymous() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = BaseAddress };

    public HttpClient WithKey(string key)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Waits until a job of <paramref name="kind"/> reached <paramref name="state"/>; fails naming every such job's state and errors.</summary>
    public async Task WaitForJobAsync(string kind, JobState state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var jobs = await Database.Jobs.ListAsync(new JobQuery { Kinds = [kind] });
            if (jobs.Any(j => j.State == state))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {kind} job reached {state.ToText()}: {string.Join(", ", jobs.Select(j => $"{j.Id} {j.State.ToText()} {string.Join("; ", j.Errors.Select(e => e.Message))}"))}");
            // The queue has no event for a test to wait on; the worker's own poll is 1 s in this configuration.
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// Waits until a study group is in <paramref name="state"/>. The analysis queues the export before it records its
    /// own outcome (a crash between the two re-runs it), so an export can succeed while the group still says analysing.
    /// </summary>
    public async Task WaitForStudyAsync(StudyState state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while ((await Database.Catalogue.StudiesAsync(state)).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no study reached {state}");
            await Task.Delay(100);
        }
    }

    /// <summary>Logs in through the form as a browser does: GET /login for the antiforgery token, POST the form; the client keeps the cookies.</summary>
    public async Task<HttpClient> LoggedInAsync(string name)
    {
        var client = Anonymous();
        var token = await FormTokenAsync(client, "login");
        using var response = await client.PostAsync("login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["user"] = name, ["password"] = Password, ["returnUrl"] = "/",
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>The antiforgery token of a page's form (the hidden field).</summary>
    public static async Task<string> FormTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        return TokenField().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException($"{page} has no antiforgery field:\n{html}");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
