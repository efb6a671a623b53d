using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MiniGptMed.DicomNode.Tests.Http;

/// <summary>The configuration over REST: the service's checks as problem details naming each field, the change audited with the HTTP user.</summary>
public sealed class ConfigApiTests : IAsyncLifetime
{
    private AdminNode _node = null!;

    public async Task InitializeAsync() => _node = await AdminNode.StartAsync("http://127.0.0.1:0");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task AddUpdateRemove_AnAe_ThroughRest_IsAudited_AndBadInputWritesNothing()
    {
        using var client = _node.Anonymous();
        foreach (var (title, message) in new[]
        {
            ("ABCDEFGHIJKLMNOPQ", "'ABCDEFGHIJKLMNOPQ' is 17 characters; an AE title is at most 16 (PS3.5 6.2)."),
            ("BACK\\SLASH", "'BACK\\SLASH' has a backslash, which DICOM uses between values (PS3.5 6.2)."),
            ("", "is empty; an AE title is 1-16 characters (PS3.5 6.2)."),
        })
        {
            using var bad = await client.PostAsJsonAsync("api/aes", new { aeTitle = title });
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
            var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(message, problem.GetProperty("errors").GetProperty("aeTitle")[0].GetString());
        }

        using var port = await client.PostAsJsonAsync("api/destinations", new { name = "pacs", type = "Dicom", aeTitle = "PACS", host = "127.0.0.1", port = 70000 });
        Assert.Equal(HttpStatusCode.BadRequest, port.StatusCode);
        Assert.True((await port.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("port", out _));
        Assert.DoesNotContain(await _node.Database.Administration.ChangesAsync(100, MiniGptMed.DicomNode.Administration.ConfigKind.Destination), c => c.Actor.StartsWith("http:", StringComparison.Ordinal));

        using var added = await client.PostAsJsonAsync("api/aes", new { aeTitle = "RESTAE", stableSeconds = 5 });
        Assert.True(added.StatusCode == HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        // What the body leaves out keeps its documented default (source-generated JSON once set it to 0).
        var created = await added.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(600, created.GetProperty("maxWaitSeconds").GetInt32());
        Assert.Equal("Study", created.GetProperty("groupBy").GetString());
        Assert.Equal(0, created.GetProperty("rules").GetArrayLength());
        using var updated = await client.PutAsJsonAsync("api/aes/RESTAE", new { aeTitle = "RESTAE", stableSeconds = 7 });
        Assert.Equal(7, (await updated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stableSeconds").GetInt32());
        using var removed = await client.DeleteAsync("api/aes/RESTAE");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("api/aes/RESTAE")).StatusCode);

        var audit = (await client.GetFromJsonAsync<JsonElement>("api/audit?kind=ae&limit=10")).EnumerateArray().Where(c => c.GetProperty("name").GetString() == "RESTAE").ToList();
        Assert.Equal(["remove", "update", "add"], audit.Select(c => c.GetProperty("action").GetString()));
        Assert.All(audit, c => Assert.Equal("http:local", c.GetProperty("actor").GetString()));
    }
}
