using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Pdu;
using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.DicomNode.Tests.Http;

/// <summary>
/// The REST API on the default kind of bind, loopback, where nobody is asked to log in (only this machine can
/// connect), and its errors as RFC 9457 problem details naming what is wrong.
/// </summary>
public sealed class ApiTests : IAsyncLifetime
{
    /// <summary>A job kind no handler of the node claims, so a queued job stays where the test puts it.</summary>
    internal const string UnhandledKind = "test-unhandled";

    private AdminNode _node = null!;

    public async Task InitializeAsync() => _node = await AdminNode.StartAsync("http://127.0.0.1:0");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task OnLoopback_NoCredentialsAreNeeded_AndTheCallerIsTheLocalAdmin()
    {
        using var client = _node.Anonymous();
        var counts = await client.GetFromJsonAsync<JsonElement>("api/jobs/counts");
        Assert.Equal(0, counts.GetProperty("byState").GetProperty("pending").GetInt32());
        var page = await client.GetStringAsync("");
        Assert.Contains("local (admin)", page, StringComparison.Ordinal);
        Assert.Contains($"<dt>DICOM port</dt><dd>{_node.DicomPort}</dd>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_AreProblemDetails_NamingTheField()
    {
        using var client = _node.Anonymous();
        await AssertProblemAsync(await client.GetAsync("api/jobs/424242"), HttpStatusCode.NotFound, "job 424242 not found.");
        await AssertProblemAsync(await client.GetAsync("api/jobs?state=finished"), HttpStatusCode.BadRequest, "state: 'finished' is not a job state");
        await AssertProblemAsync(await client.GetAsync("api/jobs?limit=0"), HttpStatusCode.BadRequest, "limit: 0 is not 1..100000.");
        await AssertProblemAsync(await client.GetAsync("api/studies?state=lost"), HttpStatusCode.BadRequest, "state: 'lost' is not a study state");
        await AssertProblemAsync(await client.GetAsync("api/studies/not-a-uid"), HttpStatusCode.BadRequest, "uid: 'not-a-uid' is not a UID");
        await AssertProblemAsync(await client.GetAsync("api/no-such-thing"), HttpStatusCode.NotFound, null);

        var job = await _node.Database.Jobs.EnqueueAsync(new JobRequest { Kind = UnhandledKind, IdempotencyKey = "test:pending" });
        await AssertProblemAsync(await client.PostAsync($"api/jobs/{job.Id}/retry", null), HttpStatusCode.Conflict,
            $"job {job.Id} is pending: only dead_letter or cancelled jobs can be retried.");
    }

    [Fact]
    public async Task Jobs_CancelThenRetry_ThroughTheApi_AsTheCliDoes()
    {
        using var client = _node.Anonymous();
        var job = await _node.Database.Jobs.EnqueueAsync(new JobRequest { Kind = UnhandledKind, IdempotencyKey = "test:cancel" });

        var cancelled = await (await client.PostAsync($"api/jobs/{job.Id}/cancel", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cancelled", cancelled.GetProperty("state").GetString());
        var retried = await (await client.PostAsync($"api/jobs/{job.Id}/retry", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending", retried.GetProperty("state").GetString());

        var listed = await client.GetFromJsonAsync<JsonElement>("api/jobs?state=pending");
        Assert.Contains(job.Id, listed.EnumerateArray().Select(j => j.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task Associations_ListWhatIsOpenNow()
    {
        using var client = _node.Anonymous();
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("api/associations")).EnumerateArray());

        // An association held open by this test (C-ECHO'd, not released yet).
        var proposal = new AssociationProposal("MINIGPTMED", "HOLDER",
            [new PresentationContextRequestItem(1, DicomUid.Verification.Value, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid])]);
        await using var association = await DicomAssociation.ConnectAsync("127.0.0.1", _node.DicomPort, proposal, new SilentHandler());
        var open = Assert.Single((await client.GetFromJsonAsync<JsonElement>("api/associations")).EnumerateArray());
        Assert.Equal("HOLDER", open.GetProperty("callingAeTitle").GetString());
        Assert.Equal("MINIGPTMED", open.GetProperty("calledAeTitle").GetString());
        Assert.Equal("127.0.0.1", open.GetProperty("peerAddress").GetString());
        await association.ReleaseAsync();
    }

    [Fact]
    public async Task TheOpenApiDocument_DescribesTheApi()
    {
        using var client = _node.Anonymous();
        var document = await client.GetFromJsonAsync<JsonElement>("openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/studies", "/api/studies/{uid}", "/api/jobs", "/api/jobs/{id}/retry", "/api/jobs/{id}/cancel", "/api/associations", "/health/ready" })
        {
            Assert.True(paths.TryGetProperty(path, out _) || paths.TryGetProperty(path + "/", out _), $"{path} is not in the OpenAPI document");
        }

        // Console pages are HTML for people, not API.
        Assert.False(paths.TryGetProperty("/jobs", out _));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? detail)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
            if (detail is not null)
            {
                Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }
    }

    /// <summary>The requestor's side of an association that sends nothing: it only holds the association open.</summary>
    private sealed class SilentHandler : IPresentationDataHandler
    {
        public ValueTask OnCommandAsync(DicomAssociation association, PresentationContext context, ReadOnlyMemory<byte> commandSet, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnDataFragmentAsync(DicomAssociation association, PresentationContext context, System.Buffers.ReadOnlySequence<byte> fragment, bool isLast, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnClosedAsync(DicomAssociation association, Exception? error) => ValueTask.CompletedTask;
    }
}
