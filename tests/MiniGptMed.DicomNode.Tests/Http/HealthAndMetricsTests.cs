using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MiniGptMed.DicomNode.Http.Security;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Tests.EndToEnd;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.Http;

/// <summary>
/// The probes and /metrics: a study sent by DCMTK's storescu goes through reception and analysis with the small
/// model, then the scrape is checked by Prometheus's own parser (promtool from Debian's prometheus package).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class HealthAndMetricsTests
{
    [Fact]
    public async Task Metrics_AfterAStudyWentThrough_PassPromtool_AndCountWhatHappened()
    {
        await using var node = await AdminNode.StartAsync("http://0.0.0.0:0");
        await node.AddUserAsync("prometheus", Roles.Viewer);
        using var scraper = node.WithKey(await node.KeyForAsync("prometheus"));

        var dx = Path.Combine(TestPaths.RepositoryRoot, "sample-dicom", "chest-dx", "IM0001.dcm");
        var sent = await ExternalProcess.RunAsync("storescu", ["-aet", "MODALITY", "-aec", "MINIGPTMED", "127.0.0.1", node.DicomPort.ToString(System.Globalization.CultureInfo.InvariantCulture), dx]);
        Assert.True(sent.ExitCode == 0, sent.Output);
        await node.WaitForJobAsync(JobKinds.Analyse, JobState.Succeeded, TimeSpan.FromMinutes(3));

        // The queue gauge is sampled (Admin:MetricsSampleSeconds); wait for the sample that has seen the analysis.
        var succeeded = new System.Text.RegularExpressions.Regex("minigptmed_jobs\\{[^}]*state=\"succeeded\"\\} [1-9]");
        var text = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            text = await scraper.GetStringAsync("metrics");
            if (succeeded.IsMatch(text))
            {
                break;
            }
        }

        var check = await ExternalProcess.RunAsync("promtool", ["check", "metrics"], stdin: text);
        Assert.True(check.ExitCode == 0, $"promtool check metrics: {check.Output}\n{text}");

        // At least this study's: the meters are per process, and other tests' nodes in this process count too.
        Assert.Matches("minigptmed_reception_instances_total\\{[^}]*\\} [1-9]", text);
        Assert.Matches("minigptmed_reception_bytes_total\\{[^}]*\\} [1-9][0-9]{4,}", text);
        Assert.Matches("minigptmed_reception_associations_total\\{[^}]*outcome=\"accepted\",reason=\"none\"\\} [1-9]", text);
        Assert.Matches("minigptmed_analysis_duration_seconds_count\\{[^}]*rule=\"chest-radiograph\"\\} [1-9]", text);
        Assert.Matches("minigptmed_model_execution_provider\\{[^}]*provider=\"Cpu\"\\} 1", text);
        Assert.Matches(succeeded, text);
    }

    [Fact]
    public async Task Metrics_CountRejectedAssociationsByReason()
    {
        await using var node = await AdminNode.StartAsync("http://127.0.0.1:0");
        var echo = await ExternalProcess.RunAsync("echoscu", ["-aet", "MODALITY", "-aec", "NOT-HERE", "127.0.0.1", node.DicomPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.NotEqual(0, echo.ExitCode);
        using var client = node.Anonymous();
        Assert.Matches("minigptmed_reception_associations_total\\{[^}]*outcome=\"rejected\",reason=\"called_ae_not_recognized\"\\} [1-9]", await client.GetStringAsync("metrics"));
    }

    [Fact]
    public async Task Ready_Is503WithTheFailingCheck_WhenTheDiskIsBelowTheWatermark()
    {
        await using var node = await AdminNode.StartAsync("http://0.0.0.0:0", c => c["Storage"] = new JsonObject { ["MinimumFreeMegabytes"] = 1_000_000_000 });
        using var client = node.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health/live")).StatusCode);

        using var ready = await client.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("application/problem+json", ready.Content.Headers.ContentType?.MediaType);
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
        var checks = report.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("ok").GetBoolean());
        Assert.Equal(new Dictionary<string, bool> { ["database"] = true, ["model"] = true, ["listener"] = true, ["disk"] = false }, checks);
        Assert.StartsWith("disk: ", report.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_Is200_WhenEveryCheckPasses()
    {
        await using var node = await AdminNode.StartAsync("http://0.0.0.0:0");
        using var client = node.Anonymous();
        var report = await client.GetFromJsonAsync<JsonElement>("health/ready");
        Assert.All(report.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("ok").GetBoolean(), c.ToString()));
    }
}
