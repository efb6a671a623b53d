using System.Text.RegularExpressions;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.EndToEnd;

/// <summary>
/// 30 studies of 20 small CT slices from 4 senders at once, their instances shuffled (seeded) so that every sender
/// carries slices of many studies and every study arrives over several associations: each study is analysed once and
/// its results are delivered to Orthanc once.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class ConcurrentSendersTests(OrthancServer orthanc) : IClassFixture<OrthancServer>, IDisposable
{
    private const int Studies = 30;
    private const int Slices = 20;
    private const int Senders = 4;

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task ThirtyStudiesFromFourSendersAtOnce_AreEachAnalysedOnce_AndDeliveredOnce()
    {
        var studies = Enumerable.Range(0, Studies)
            .Select(i => SyntheticDicom.CtSeries(Directory.CreateDirectory(_dir[$"study{i}"]).FullName, Slices, 16, 16, new(8, 8, 3)))
            .ToList();
        var uids = studies.Select(s => Dicom.IO.DicomFile.Open(s[0]).Dataset.GetString(Dicom.Data.DicomTags.StudyInstanceUID)!).ToList();
        var random = new Random(4004);
        var shuffled = studies.SelectMany(s => s).OrderBy(_ => random.Next()).ToList();

        await using var sandbox = new NodeSandbox(NodeProcess.Configuration(stableSeconds: 2, NodeProcess.Destination(OrthancServer.AeTitle, orthanc.DicomPort)));
        var node = await sandbox.StartAsync();
        var sending = Enumerable.Range(0, Senders).Select(k => Task.Run(async () =>
        {
            var mine = shuffled.Where((_, index) => index % Senders == k).Select(Part10Source.Probe).ToList();
            return await new DicomClient("127.0.0.1", node.Port, $"MODALITY{k}", "MINIGPTMED").StoreAsync(mine);
        }));
        var outcomes = (await Task.WhenAll(sending)).SelectMany(o => o).ToList();
        Assert.Equal(Studies * Slices, outcomes.Count);
        Assert.All(outcomes, o => Assert.True(o.Succeeded, $"{o.Path}: {o.Status:X4} {o.Error}"));

        await Eventually.UntilAsync(
            async () => (await sandbox.JobsAsync()).EnumerateArray().Count(j => j.GetProperty("kind").GetString() == "export" && j.GetProperty("state").GetString() == "succeeded") >= Studies,
            TimeSpan.FromSeconds(120), () => $"{Studies} exports done\n{node.Log}", pollMilliseconds: 1000);

        var jobs = (await sandbox.JobsAsync()).EnumerateArray().ToList();
        Assert.Equal(Studies, jobs.Count(j => j.GetProperty("kind").GetString() == "analyse"));
        Assert.Equal(Studies, jobs.Count(j => j.GetProperty("kind").GetString() == "export"));
        Assert.All(jobs, j => Assert.True(j.GetProperty("state").GetString() == "succeeded" && j.GetProperty("attempt").GetInt32() == 1, j.ToString()));

        var log = node.Log;
        foreach (var uid in uids)
        {
            // One analysis of the whole study (all 20 slices, over 4 associations), one delivery.
            Assert.Single(Analysed().Matches(log), m => m.Groups[1].Value == uid);
            Assert.Single(Stable().Matches(log), m => m.Groups[1].Value == uid && m.Groups[2].Value == Slices.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Single(Delivered().Matches(log), m => m.Groups[1].Value == uid);
            var studyId = await orthanc.StudyIdAsync(uid);
            Assert.True(studyId is not null, $"study {uid} is not in Orthanc");
            Assert.Single(await orthanc.InstancesAsync(studyId, "SR"));
        }
    }

    [GeneratedRegex(@"group ([0-9.]+) analysed by rule")]
    private static partial Regex Analysed();

    [GeneratedRegex(@"group ([0-9.]+) stable \([^)]*\): (\d+) instances")]
    private static partial Regex Stable();

    [GeneratedRegex(@"Export: study ([0-9.]+) to pacs: \d+ objects delivered")]
    private static partial Regex Delivered();

    public void Dispose() => _dir.Dispose();
}
