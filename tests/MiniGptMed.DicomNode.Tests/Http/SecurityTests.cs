using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MiniGptMed.DicomNode.Http.Security;
using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.DicomNode.Tests.Http;

/// <summary>
/// Who may do what on a node bound to every interface (authentication required): nothing without credentials, reading
/// only for a viewer, no change without the form's antiforgery token. Routes are taken from the running app, so a
/// route added later is covered without touching these tests.
/// </summary>
public sealed class SecurityTests : IAsyncLifetime
{
    /// <summary>What anyone may call: probes, the login form, its stylesheet. Anything else anonymous is a mistake.</summary>
    private static readonly string[] Anonymous = ["GET /health/live", "GET /health/ready", "GET /login", "POST /login", "GET /assets/{name}"];

    private AdminNode _node = null!;

    public async Task InitializeAsync()
    {
        _node = await AdminNode.StartAsync("http://0.0.0.0:0");
        await _node.AddUserAsync("ada", Roles.Admin);
        await _node.AddUserAsync("vic", Roles.Viewer);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task EveryRoute_WithoutCredentials_Answers401_ButTheProbesLoginAndAssets()
    {
        var routes = Routes();
        Assert.True(routes.Count >= 15, $"only {routes.Count} routes found");
        Assert.Equal(Anonymous.Order(), routes.Where(r => r.Anonymous).Select(r => r.Name).Order());

        using var client = _node.Anonymous();
        foreach (var route in routes.Where(r => !r.Anonymous))
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Example);
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route.Name} ({route.Example}) answered {(int)response.StatusCode}");
            if (route.Example.StartsWith("api/", StringComparison.Ordinal))
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Fact]
    public async Task AWrongApiKey_Answers401_NamingTheBearerScheme()
    {
        using var client = _node.WithKey(ApiKeys.Create());
        using var response = await client.GetAsync("api/jobs");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task AViewer_ReadsEverything_ButEveryChangeIs403_AndNothingChanges()
    {
        var job = await DeadLetterAsync();
        using var viewer = _node.WithKey(await _node.KeyForAsync("vic"));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("api/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("metrics")).StatusCode);

        foreach (var route in Routes().Where(r => !r.Anonymous && r.Method != "GET" && r.Name != "POST /logout"))
        {
            using var response = await viewer.SendAsync(new HttpRequestMessage(new HttpMethod(route.Method), route.Example.Replace("/1/", $"/{job}/", StringComparison.Ordinal)));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{route.Name} answered {(int)response.StatusCode} to a viewer");
        }

        // The same through the console with a viewer's session and a valid token.
        using var session = await _node.LoggedInAsync("vic");
        var token = await AdminNode.FormTokenAsync(session, "jobs");
        using var post = await session.PostAsync($"jobs/{job}/retry", Form(token));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(JobState.DeadLetter, (await _node.Database.Jobs.GetAsync(job))!.State);
    }

    [Fact]
    public async Task AForgedFormPost_IsRefused_AndTheRealFormWorks()
    {
        var job = await DeadLetterAsync();
        using var session = await _node.LoggedInAsync("ada");

        using (var missing = await session.PostAsync($"jobs/{job}/retry", new FormUrlEncodedContent([])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        }

        using (var forged = await session.PostAsync($"jobs/{job}/retry", Form("CfDJ8forged-token-from-another-site")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        // A script on another page calling the API with the session cookie and no token header.
        using (var api = await session.PostAsync($"api/jobs/{job}/retry", null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
            Assert.Contains("antiforgery", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(JobState.DeadLetter, (await _node.Database.Jobs.GetAsync(job))!.State);

        var token = await AdminNode.FormTokenAsync(session, "jobs");
        using var real = await session.PostAsync($"jobs/{job}/retry", Form(token));
        Assert.Equal(HttpStatusCode.Redirect, real.StatusCode);
        Assert.Equal(JobState.Pending, (await _node.Database.Jobs.GetAsync(job))!.State);
    }

    [Fact]
    public async Task ALogin_WithAWrongPassword_Is401_AndSetsNoSession()
    {
        using var client = _node.Anonymous();
        var token = await AdminNode.FormTokenAsync(client, "login");
        using var response = await client.PostAsync("login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["user"] = "ada", ["password"] = "not the password at all",
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Wrong user name or password.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/jobs")).StatusCode);
    }

    [Fact]
    public async Task ARemovedUsersSession_EndsAtItsNextRequest()
    {
        await _node.AddUserAsync("gone", Roles.Admin);
        using var session = await _node.LoggedInAsync("gone");
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("api/jobs")).StatusCode);
        Assert.True(await _node.Database.Users.RemoveAsync("gone"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("api/jobs")).StatusCode);
    }

    private static FormUrlEncodedContent Form(string token) => new(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });

    private async Task<long> DeadLetterAsync()
    {
        var jobs = _node.Database.Jobs;
        var enqueued = await jobs.EnqueueAsync(new JobRequest { Kind = ApiTests.UnhandledKind, IdempotencyKey = $"test:{Guid.NewGuid():N}", MaxAttempts = 1 });
        var claimed = Assert.Single(await jobs.ClaimAsync("test", [ApiTests.UnhandledKind], 1, TimeSpan.FromMinutes(1)));
        Assert.Equal(JobState.DeadLetter, await jobs.FailAsync(claimed.Id, "test", "made to fail by the test", permanent: true));
        return enqueued.Id;
    }

    private sealed record Route(string Method, string Pattern, bool Anonymous)
    {
        public string Name => $"{Method} {Pattern}";

        /// <summary>The route with example values in its parameters (a job id, a UID, a name).</summary>
        public string Example => System.Text.RegularExpressions.Regex.Replace(Pattern.TrimStart('/'), "\\{([^}:]+)(:[^}]+)?\\}", m => m.Groups[1].Value switch
        {
            "id" => "1",
            "uid" => "1.2.3",
            _ => "example",
        });
    }

    private List<Route> Routes() =>
        [.. _node.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => new Route(m, "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'), e.Metadata.GetMetadata<IAllowAnonymous>() is not null)))
            .DistinctBy(r => r.Name)];
}
