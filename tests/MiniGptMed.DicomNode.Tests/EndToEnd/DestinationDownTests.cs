using System.Text.Json;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.DicomNode.Tests.Export;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.EndToEnd;

/// <summary>
/// The PACS is down when the results are ready (storescp stands in for it: it can be started late on a known port):
/// the export job retries until it comes back; down past the last attempt, the job is a dead letter until an
/// operator's <c>minigptmed jobs retry ID</c>, which then delivers it.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DestinationDownTests : IDisposable
{
    private static readonly string Radiograph = Path.Combine(TestPaths.RepositoryRoot, "sample-dicom", "chest-dx", "IM0001.dcm");

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task AnExportToADownDestination_Retries_AndDeliversWhenItComesBack()
    {
        var port = Dcmtk.FreePort();
        await using var sandbox = new NodeSandbox(NodeProcess.Configuration(stableSeconds: 1, NodeProcess.Destination("STORESCP", port), maxAttempts: 50));
        var node = await sandbox.StartAsync();
        await SendAsync(node.Port, Radiograph);

        // At least two failed runs of the export job: it is waiting for its next attempt, not finished.
        var failing = await Eventually.WaitAsync(
            async () => (await ExportJobsAsync(sandbox)).FirstOrDefault(j => j.GetProperty("attempt").GetInt32() >= 2 && j.GetProperty("state").GetString() != "succeeded") is { ValueKind: JsonValueKind.Object } j ? new Box(j) : null,
            TimeSpan.FromSeconds(90), () => $"a retrying export job\n{node.Log}");
        Assert.NotEqual("dead_letter", failing.Value.GetProperty("state").GetString());

        await using var scp = await StoreScp.StartAsync(port, Directory.CreateDirectory(_dir["scp"]).FullName);
        await Eventually.UntilAsync(async () => (await ExportJobsAsync(sandbox)).Any(j => j.GetProperty("state").GetString() == "succeeded"),
            TimeSpan.FromSeconds(60), () => $"the export job succeeded\n{node.Log}");
        AssertResultsDelivered(scp);
    }

    [Fact]
    public async Task AnExportDownPastItsLastAttempt_IsADeadLetter_AndJobsRetryDeliversIt()
    {
        var port = Dcmtk.FreePort();
        await using var sandbox = new NodeSandbox(NodeProcess.Configuration(stableSeconds: 1, NodeProcess.Destination("STORESCP", port), maxAttempts: 2));
        var node = await sandbox.StartAsync();
        await SendAsync(node.Port, Radiograph);

        var dead = await Eventually.WaitAsync(
            async () => (await ExportJobsAsync(sandbox)).FirstOrDefault(j => j.GetProperty("state").GetString() == "dead_letter") is { ValueKind: JsonValueKind.Object } j ? new Box(j) : null,
            TimeSpan.FromSeconds(90), () => $"a dead-lettered export job\n{node.Log}");
        Assert.Equal(2, dead.Value.GetProperty("attempt").GetInt32());

        await using var scp = await StoreScp.StartAsync(port, Directory.CreateDirectory(_dir["scp"]).FullName);
        var id = dead.Value.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var retry = await sandbox.CliAsync("jobs", "retry", id);
        Assert.True(retry.ExitCode == 0, retry.Output);

        await Eventually.UntilAsync(async () => (await ExportJobsAsync(sandbox)).Any(j => j.GetProperty("state").GetString() == "succeeded"),
            TimeSpan.FromSeconds(60), () => $"the retried export job succeeded\n{node.Log}");
        AssertResultsDelivered(scp);
    }

    // PS3.4 B.5: the SR (88.x), the Multi-frame True Color SC (7.4) and the GSPS (11.1), once each.
    private static void AssertResultsDelivered(StoreScp scp)
    {
        var classes = Directory.GetFiles(scp.Output).Select(f => Part10Source.Probe(f).SopClassUid).ToList();
        Assert.Single(classes, c => c.StartsWith("1.2.840.10008.5.1.4.1.1.88.", StringComparison.Ordinal));
        Assert.Contains("1.2.840.10008.5.1.4.1.1.7.4", classes);
        Assert.Contains("1.2.840.10008.5.1.4.1.1.11.1", classes);
    }

    private static async Task<IReadOnlyList<JsonElement>> ExportJobsAsync(NodeSandbox sandbox) =>
        [.. (await sandbox.JobsAsync()).EnumerateArray().Where(j => j.GetProperty("kind").GetString() == "export")];

    private static async Task SendAsync(int port, params string[] files)
    {
        var outcomes = await new DicomClient("127.0.0.1", port, "MODALITY", "MINIGPTMED").StoreAsync(files.Select(Part10Source.Probe).ToList());
        Assert.All(outcomes, o => Assert.True(o.Succeeded, $"{o.Path}: {o.Status:X4} {o.Error}"));
    }

    public void Dispose() => _dir.Dispose();

    private sealed record Box(JsonElement Value);
}
