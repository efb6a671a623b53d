using System.Text.Json;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.EndToEnd;

/// <summary>
/// Orthanc is the PACS: it sends a study to the node (REST /modalities/{id}/store, Orthanc's own C-STORE SCU), the node
/// analyses it and exports SR, SC and GSPS back to Orthanc's DICOM port, where they land as new series of the same study.
/// Run with each of the node's database engines: the embedded SQLite and PostgreSQL (a fresh database on the server of
/// MINIGPTMED_TEST_PG), as a cluster node is configured.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class OrthancPacsTests(OrthancServer orthanc) : IClassFixture<OrthancServer>, IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task AStudySentByOrthanc_ComesBackAsSrScAndGspsSeries_InTheSameStudy_ThatIndependentReadersAccept(string databaseProvider)
    {
        // Each case starts from an empty PACS: results left by the other case must not stand for this node's.
        foreach (var id in (await orthanc.GetJsonAsync("studies")).EnumerateArray().Select(e => e.GetString()!))
        {
            await orthanc.DeleteStudyAsync(id);
        }

        var destination = NodeProcess.Destination(OrthancServer.AeTitle, orthanc.DicomPort);
        var configuration = NodeProcess.Configuration(stableSeconds: 1, destination);
        var postgres = databaseProvider == "PostgreSql" ? new PostgreSqlTestDatabase() : null;
        if (postgres is not null)
        {
            await postgres.CreateAsync();
            configuration["Database"] = new System.Text.Json.Nodes.JsonObject { ["Provider"] = "PostgreSql", ["ConnectionString"] = postgres.ConnectionString };
        }

        try
        {
            await RoundTripAsync(configuration);
        }
        finally
        {
            if (postgres is not null)
            {
                await postgres.DropAsync();
            }
        }
    }

    private async Task RoundTripAsync(System.Text.Json.Nodes.JsonObject configuration)
    {
        await using var sandbox = new NodeSandbox(configuration);
        var node = await sandbox.StartAsync();
        await orthanc.DeclareModalityAsync("node", "MINIGPTMED", node.Port);

        // The radiograph and a slab of the CT: two studies, each analysed by its own rule.
        var files = new[] { Path.Combine(TestPaths.RepositoryRoot, "sample-dicom", "chest-dx", "IM0001.dcm") }
            .Concat(Enumerable.Range(18, 5).Select(i => Path.Combine(TestPaths.RepositoryRoot, "sample-dicom", "chest-ct", $"IM{i:D4}.dcm")));
        var studies = new HashSet<string>();
        foreach (var file in files)
        {
            studies.Add(await orthanc.UploadAsync(file));
        }

        Assert.Equal(2, studies.Count);
        await orthanc.SendAsync("node", [.. studies]);

        foreach (var study in studies)
        {
            // The results arrive as three more series of the study: SR, SC (Modality OT, PS3.3 C.8.6.1) and the GSPS (PR).
            var series = await Eventually.WaitAsync(
                async () => await orthanc.SeriesAsync(study) is var s && new[] { "SR", "OT", "PR" }.All(m => s.Any(x => x.Modality == m)) ? s : null,
                TimeSpan.FromSeconds(90), () => $"results of study {study} in Orthanc\nnode:\n{node.Log}\northanc:\n{orthanc.Log}");
            Assert.Single(series, s => s.Modality == "SR");

            var downloaded = new List<string>();
            foreach (var modality in new[] { "SR", "OT", "PR" })
            {
                foreach (var (id, sop) in await orthanc.InstancesAsync(study, modality))
                {
                    var path = _dir[$"{modality}-{sop}.dcm"];
                    await orthanc.DownloadAsync(id, path);
                    downloaded.Add(path);
                    var check = await ExternalProcess.RunAsync("dciodvfy", [path]);
                    var errors = check.Output.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
                    Assert.True(errors.Count == 0, $"{modality} {sop}:\n{check.Output}");
                }
            }

            var probe = await ProbeAsync(downloaded);
            var classes = probe.EnumerateObject().Select(p => p.Value.GetProperty("sop_class").GetString()!).ToList();
            // PS3.4 B.5: an SR (88.x), the Multi-frame True Color SC (7.4), the Grayscale Softcopy Presentation State (11.1).
            Assert.Contains(classes, c => c.StartsWith("1.2.840.10008.5.1.4.1.1.88.", StringComparison.Ordinal));
            Assert.Contains("1.2.840.10008.5.1.4.1.1.7.4", classes);
            Assert.Contains("1.2.840.10008.5.1.4.1.1.11.1", classes);
            var sr = probe.EnumerateObject().Single(p => p.Value.GetProperty("sop_class").GetString()!.StartsWith("1.2.840.10008.5.1.4.1.1.88.", StringComparison.Ordinal));
            Assert.NotEmpty(sr.Value.GetProperty("texts").EnumerateArray());
        }

        // The node's own record, through the admin CLI on the same configuration (so the same engine): both studies
        // analysed, each with its findings summary.
        var listed = await sandbox.CliAsync("studies", "list", "--json");
        Assert.True(listed.ExitCode == 0, listed.StandardError);
        using var list = JsonDocument.Parse(listed.StandardOutput);
        Assert.Equal(2, list.RootElement.GetArrayLength());
        Assert.All(list.RootElement.EnumerateArray(), s =>
        {
            Assert.Equal("analysed", s.GetProperty("state").GetString());
            Assert.Matches("^(no findings|[0-9]+ findings?: .+)$", s.GetProperty("findings").GetString());
        });
        Assert.Equal(configuration["Database"] is null, File.Exists(Path.Combine(sandbox.Data, "node.db")));
    }

    private static async Task<JsonElement> ProbeAsync(IEnumerable<string> paths)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Support", "results_probe.py");
        var result = await ExternalProcess.RunAsync(TestPaths.Python, [script, .. paths]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }

    public void Dispose() => _dir.Dispose();
}
