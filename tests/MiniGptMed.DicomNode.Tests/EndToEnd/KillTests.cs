using System.Collections.Concurrent;
using System.Text.Json;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.EndToEnd;

/// <summary>
/// kill -9 of the node (a <c>serve</c> child process) at seeded random points, restarting it each time: during
/// reception (while an association stores a study), during analysis (after the study's analysis was queued) and during
/// export (after its analysis finished). In the end every acknowledged instance is catalogued, every study was analysed,
/// and Orthanc, the export destination, holds exactly one SR per study.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class KillTests(OrthancServer orthanc) : IClassFixture<OrthancServer>, IDisposable
{
    private const int Cycles = 10;
    private const int Slices = 12;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, IReadOnlyList<string>> _studies = [];
    private readonly ConcurrentDictionary<string, bool> _acknowledged = new();

    [Fact]
    public Task KilledDuringReception_TenTimes_LosesNoAcknowledgedInstance_AndEachStudyGetsOneSr() => RunAsync(seed: 1001, async (node, study, random) =>
    {
        // Killed part way through the association: what was acknowledged must survive, the rest is sent again later.
        var sending = SendAsync(node.Port, study);
        await Task.Delay(random.Next(0, 250));
        node.Kill();
        await sending;
    });

    [Fact]
    public Task KilledDuringAnalysis_TenTimes_EachStudyIsAnalysed_AndGetsOneSr() => RunAsync(seed: 2002, async (node, study, random) =>
    {
        await SendAsync(node.Port, study);
        // Assembly logs "queued" once it moved the group; a worker that took the job first may log "analysed" before it.
        await node.WhenLoggedAsync(Patience, $"group {StudyUid(study)} queued for analysis", $"group {StudyUid(study)} analysed by rule");
        await Task.Delay(random.Next(0, 400));
        node.Kill();
    });

    [Fact]
    public Task KilledDuringExport_TenTimes_EachStudyGetsExactlyOneSr() => RunAsync(seed: 3003, async (node, study, random) =>
    {
        await SendAsync(node.Port, study);
        await node.WhenLoggedAsync(Patience, $"group {StudyUid(study)} analysed by rule");
        await Task.Delay(random.Next(0, 150));
        node.Kill();
    });

    private async Task RunAsync(int seed, Func<NodeProcess, IReadOnlyList<string>, Random, Task> cycle)
    {
        var random = new Random(seed);
        await using var sandbox = new NodeSandbox(NodeProcess.Configuration(stableSeconds: 1, NodeProcess.Destination(OrthancServer.AeTitle, orthanc.DicomPort), maxAttempts: 100));
        for (var i = 0; i < Cycles; i++)
        {
            var study = SyntheticDicom.CtSeries(Directory.CreateDirectory(_dir[$"s{seed}-{i}"]).FullName, Slices, 32, 32, new(16, 16, 5));
            _studies[StudyUid(study)] = study;
            var node = await sandbox.StartAsync();
            await cycle(node, study, random);
            Assert.True(node.HasExited, "the node was killed");
        }

        var final = await sandbox.StartAsync();
        // The senders' own retry: whatever was not acknowledged is sent again.
        foreach (var study in _studies.Values)
        {
            var missing = study.Where(f => !_acknowledged.ContainsKey(f)).ToList();
            if (missing.Count > 0)
            {
                await SendAsync(final.Port, missing);
            }
        }

        Assert.Equal(_studies.Count * Slices, _acknowledged.Count);

        // Every study analysed and its results delivered: each export job finished.
        await WithStateOnFailureAsync(sandbox, () => Eventually.UntilAsync(
            async () => (await StudiesAsync(sandbox)).Count(s => s.GetProperty("state").GetString() == "analysed") == _studies.Count
                && (await sandbox.JobsAsync()).EnumerateArray().Count(j => j.GetProperty("kind").GetString() == "export" && j.GetProperty("state").GetString() == "succeeded") >= _studies.Count
                && !(await sandbox.JobsAsync()).EnumerateArray().Any(j => j.GetProperty("state").GetString() is "pending" or "running" or "retrying"),
            TimeSpan.FromSeconds(120), () => $"all {_studies.Count} studies analysed and exported\n{final.Log}", pollMilliseconds: 1000));

        var catalogued = await StudiesAsync(sandbox);
        foreach (var (uid, files) in _studies)
        {
            // Every acknowledged instance is catalogued (and the later sends add the rest): the whole study, once each.
            var row = Assert.Single(catalogued, s => s.GetProperty("studyInstanceUid").GetString() == uid);
            Assert.Equal(files.Count, row.GetProperty("instanceCount").GetInt32());
            Assert.Equal("analysed", row.GetProperty("state").GetString());

            var studyId = await orthanc.StudyIdAsync(uid);
            Assert.True(studyId is not null, $"study {uid} is not in Orthanc\n{final.Log}");
            Assert.Single(await orthanc.InstancesAsync(studyId, "SR"));
        }

        foreach (var job in (await sandbox.JobsAsync()).EnumerateArray())
        {
            Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
        }
    }

    // A timeout says where each study and job stood.
    private static async Task WithStateOnFailureAsync(NodeSandbox sandbox, Func<Task> wait)
    {
        try
        {
            await wait();
        }
        catch (TimeoutException ex)
        {
            var studies = await sandbox.CliAsync("studies", "list", "--limit", "1000");
            var jobs = await sandbox.CliAsync("jobs", "list", "--limit", "1000");
            throw new TimeoutException($"{ex.Message}\n{studies.Output}\n{jobs.Output}", ex);
        }
    }

    private static string StudyUid(IReadOnlyList<string> study) =>
        Dicom.IO.DicomFile.Open(study[0]).Dataset.GetString(Dicom.Data.DicomTags.StudyInstanceUID)!;

    private static async Task<IReadOnlyList<JsonElement>> StudiesAsync(NodeSandbox sandbox)
    {
        var result = await sandbox.CliAsync("studies", "list", "--json", "--limit", "1000");
        Assert.True(result.ExitCode == 0, result.Output);
        using var document = JsonDocument.Parse(result.StandardOutput);
        return [.. document.RootElement.Clone().EnumerateArray()];
    }

    /// <summary>Stores the files on one association; each file the node acknowledged with Success is noted as it comes.</summary>
    private async Task SendAsync(int port, IReadOnlyList<string> files)
    {
        try
        {
            await new DicomClient("127.0.0.1", port, "MODALITY", "MINIGPTMED").StoreAsync(files.Select(Part10Source.Probe).ToList(), new Acknowledged(this));
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException)
        {
            // The node was killed: the association ended; what it acknowledged was noted.
        }
    }

    public void Dispose() => _dir.Dispose();

    private sealed class Acknowledged(KillTests test) : IProgress<StoreOutcome>
    {
        public void Report(StoreOutcome value)
        {
            if (value.Succeeded)
            {
                test._acknowledged[value.Path] = true;
            }
        }
    }
}
