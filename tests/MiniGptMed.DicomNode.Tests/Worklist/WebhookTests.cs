using System.Text.Json;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Worklist.Notices;
using MiniGptMed.DicomNode.Worklist.Triage;
using MiniGptMed.DicomNode.Worklist.Webhook;

namespace MiniGptMed.DicomNode.Tests.Worklist;

public sealed class WebhookTests
{
    private const string Secret = "s3cret-for-tests";

    private static WorklistOptions Options(string url, string secret = Secret) => new()
    {
        Webhooks = [new WebhookOptions { Name = "ris", Url = url, Secret = secret, Retries = 3, RetryDelayMilliseconds = 10 }],
    };

    [Fact]
    public async Task AfterTwo503s_TheReceiverSeesTheDeliveryOnce_SignedAsACloudEvent()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, failFirst: 2);
        await using var bed = await NotifyBed.StartAsync(Options(receiver.Url));
        await bed.AnalysedAsync(31, new TriageFinding("pneumothorax", "36118008", "SCT", "Pneumothorax", 0.88, 1));

        Assert.Equal(JobState.Succeeded, await bed.RunOneAsync());

        Assert.Equal([503, 503, 200], receiver.Requests.Select(r => r.Status));
        var id = Assert.Single(receiver.Requests.Select(r => r.DeliveryId).Distinct());
        Assert.Equal(NoticeIds.DeliveryId(NotifyBed.Study, 31, "webhook:ris"), id);
        var body = Assert.Single(receiver.Accepted).Value;
        Assert.Equal(0, receiver.BadSignatures);

        using var doc = JsonDocument.Parse(body);
        var e = doc.RootElement;
        Assert.Equal("1.0", e.GetProperty("specversion").GetString());
        Assert.Equal(id, e.GetProperty("id").GetString());
        Assert.Equal(CloudEvent.AnalysedType, e.GetProperty("type").GetString());
        Assert.Equal("urn:minigptmed:NODE", e.GetProperty("source").GetString());
        Assert.Equal(NotifyBed.Study, e.GetProperty("subject").GetString());
        Assert.True(DateTimeOffset.TryParse(e.GetProperty("time").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        var data = e.GetProperty("data");
        Assert.Equal("stat", data.GetProperty("priority").GetString());
        Assert.Equal("STAT: pneumothorax 88% (rule ptx)", data.GetProperty("summary").GetString());
        Assert.Equal(0.88, data.GetProperty("findings")[0].GetProperty("confidence").GetDouble());
        Assert.Equal("36118008", data.GetProperty("findings")[0].GetProperty("code").GetString());
        // No patient identity in a webhook.
        Assert.False(data.TryGetProperty("patientId", out _));
    }

    [Fact]
    public async Task AJobRunTwice_GivesTheSameDeliveryId_SoTheReceiverKeepsOne()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, failFirst: 0);
        await using var bed = await NotifyBed.StartAsync(Options(receiver.Url));
        await bed.AnalysedAsync(32);
        var job = Assert.Single(await bed.Database.Jobs.ClaimAsync("test", [JobKinds.Notify], 1, TimeSpan.FromMinutes(5)));

        // The worker died after sending and before recording success: the job runs again.
        await bed.Handler.HandleAsync(job, CancellationToken.None);
        await bed.Handler.HandleAsync(job, CancellationToken.None);

        Assert.Equal(2, receiver.Requests.Count);
        Assert.Single(receiver.Requests.Select(r => r.DeliveryId).Distinct());
        Assert.Single(receiver.Accepted);
    }

    [Fact]
    public async Task A400_IsDeadLettered_AndAWrongSecretFailsTheSignature()
    {
        await using var refusing = await WebhookReceiver.StartAsync(Secret, failFirst: 100, status: 400);
        await using (var bed = await NotifyBed.StartAsync(Options(refusing.Url)))
        {
            await bed.AnalysedAsync(33);
            Assert.Equal(JobState.DeadLetter, await bed.RunOneAsync());
            Assert.Single(refusing.Requests);
        }

        await using var strict = await WebhookReceiver.StartAsync("another secret", failFirst: 0);
        await using var forged = await NotifyBed.StartAsync(Options(strict.Url));
        await forged.AnalysedAsync(34);
        Assert.Equal(JobState.DeadLetter, await forged.RunOneAsync());
        Assert.Equal(1, strict.BadSignatures);
        Assert.Empty(strict.Accepted);
    }

    [Fact]
    public void Signature_IsHmacSha256OfTheBody()
    {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        Assert.Equal("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            WebhookSignature.Sign("Jefe", "what do ya want for nothing?"u8));
        Assert.True(WebhookSignature.Verify("Jefe", "what do ya want for nothing?"u8, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
        Assert.False(WebhookSignature.Verify("Jefe", "what do ya want for nothing!"u8, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    }
}
