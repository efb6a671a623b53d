using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.DicomNode.Tests.Support;
using MiniGptMed.DicomNode.Tests.Worklist;
using FhirTask = Hl7.Fhir.Model.Task;
using Task = System.Threading.Tasks.Task;

namespace MiniGptMed.DicomNode.Tests.EndToEnd;

/// <summary>
/// kill -9 of the node (a <c>serve</c> child process) at seeded random points while it tells the worklist, with all
/// three channels on: FHIR to <see cref="FhirServer"/> (the Kestrel endpoint of the tests, conditional create),
/// HL7 to python3-hl7's MLLP server, a webhook to <see cref="WebhookReceiver"/>. After the restarts every channel got
/// each study's notice exactly once in effect: one DiagnosticReport and one Task per study, one MSH-10 per study
/// (repeats carry the same one), one webhook delivery id per study.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class KillDuringNotificationTests : IDisposable
{
    private const int Cycles = 5;
    private const string Secret = "kill-test-secret";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task KilledWhileNotifying_FiveTimes_EachChannelGetsEachStudysNoticeOnce()
    {
        var random = new Random(4004);
        await using var fhir = await FhirServer.StartAsync();
        await using var hl7 = await Hl7Server.StartAsync("AA");
        await using var webhook = await WebhookReceiver.StartAsync(Secret, failFirst: 0);
        var configuration = NodeProcess.Configuration(stableSeconds: 1, destination: null, maxAttempts: 100);
        // Quick retries, no breaker in the way: the kills, not the receivers, are what is tested.
        JsonObject Quick() => new() { ["AttemptTimeoutSeconds"] = 10, ["Retries"] = 1, ["RetryDelayMilliseconds"] = 100, ["BreakAfterFailures"] = 1000, ["BreakSeconds"] = 1 };
        var fhirOptions = Quick();
        fhirOptions["BaseUrl"] = fhir.BaseUrl;
        var hl7Options = Quick();
        hl7Options["Host"] = "127.0.0.1";
        hl7Options["Port"] = hl7.Port;
        var hook = Quick();
        hook["Name"] = "ris";
        hook["Url"] = webhook.Url;
        hook["Secret"] = Secret;
        configuration["Worklist"] = new JsonObject { ["Fhir"] = fhirOptions, ["Hl7"] = hl7Options, ["Webhooks"] = new JsonArray(hook) };
        await using var sandbox = new NodeSandbox(configuration);

        var studies = new List<string>();
        var interrupted = 0;
        for (var i = 0; i < Cycles; i++)
        {
            var study = SyntheticDicom.NewUid();
            studies.Add(study);
            var file = SyntheticDicom.Radiograph(_dir[$"dx-{i}.dcm"], 64, 64, new(32, 32, 8), study);
            var node = await sandbox.StartAsync();
            var stored = await new DicomClient("127.0.0.1", node.Port, "MODALITY", "MINIGPTMED").StoreAsync([Part10Source.Probe(file)]);
            Assert.True(stored.Single().Succeeded);
            // The analyse job queues the three notify jobs before it logs the analysis: the kill lands among the deliveries.
            await node.WhenLoggedAsync(Patience, $"group {study} analysed by rule");
            await Task.Delay(random.Next(0, 200));
            node.Kill();
            Assert.True(node.HasExited, "the node was killed");
            var delivered = node.Log.Split('\n').Count(l => l.Contains($"study {study} version", StringComparison.Ordinal) && l.Contains("delivered to", StringComparison.Ordinal));
            interrupted += delivered < 3 ? 1 : 0;
        }

        // The kills fell among the deliveries, not only after them.
        Assert.True(interrupted > 0, "every kill came after all three notices of its study were delivered");

        var final = await sandbox.StartAsync();
        await Eventually.UntilAsync(async () =>
            {
                var jobs = (await sandbox.JobsAsync()).EnumerateArray().Where(j => j.GetProperty("kind").GetString() == "notify").ToList();
                return jobs.Count == Cycles * 3 && jobs.All(j => j.GetProperty("state").GetString() == "succeeded");
            },
            TimeSpan.FromSeconds(90), () => $"all {Cycles * 3} notify jobs succeeded\n{final.Log}", pollMilliseconds: 1000);

        // FHIR: conditional create leaves one report (and one Task) per study, each Bundle valid.
        Assert.Empty(fhir.Invalid);
        var reports = fhir.All<DiagnosticReport>();
        Assert.Equal(studies.Order(), reports.Select(r => r.ImagingStudy.Single().Identifier!.Value!["urn:oid:".Length..]).Order());
        Assert.Equal(Cycles, fhir.All<FhirTask>().Count);
        Assert.All(fhir.Requests, r => Assert.Equal(200, r.Status));

        // HL7: whatever was received more than once carries the same MSH-10; one control id per study version.
        var messages = new List<Hl7Server.Received>();
        while (messages.Select(m => m.ControlId).Distinct().Count() < Cycles)
        {
            // The server prints each message before it answers AA; its line may be read just after the job finished.
            messages.Add(await hl7.NextAsync(TimeSpan.FromSeconds(30)));
        }

        while (hl7.TryNext(out var received))
        {
            messages.Add(received!);
        }

        var controlIds = messages.GroupBy(m => m.ControlId).ToList();
        Assert.Equal(Cycles, controlIds.Count);
        foreach (var study in studies)
        {
            Assert.Single(messages.Where(m => m.Message.Contains(study, StringComparison.Ordinal)).Select(m => m.ControlId).Distinct());
        }

        // Webhook: one delivery id per study, every signature right.
        Assert.Equal(0, webhook.BadSignatures);
        Assert.Equal(Cycles, webhook.Accepted.Count);
        var subjects = webhook.Accepted.Values.Select(body => JsonDocument.Parse(body).RootElement.GetProperty("subject").GetString()).Order();
        Assert.Equal(studies.Order(), subjects);
    }

    public void Dispose() => _dir.Dispose();
}
