using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Worklist.Notices;
using MiniGptMed.DicomNode.Worklist.Triage;

namespace MiniGptMed.DicomNode.Worklist.Webhook;

/// <summary>
/// One <c>webhook:&lt;Name&gt;</c> channel: POSTs the CloudEvent (Content-Type application/cloudevents+json), signed in
/// <see cref="WebhookSignature.Header"/>, its delivery id also in <see cref="WebhookSignature.DeliveryHeader"/>.
/// 2xx is done; 408, 429 and 5xx are retried; any other answer will not change by retrying: dead letter.
/// </summary>
internal sealed class WebhookChannel(WebhookOptions options, HttpClient http) : INoticeChannel
{
    public string Name => WebhookOptions.ChannelPrefix + options.Name;

    public ChannelResilienceOptions Resilience => options;

    public static CloudEvent Event(Notice notice, string channel) => new()
    {
        Id = NoticeIds.DeliveryId(notice.StudyInstanceUid, notice.Version, channel),
        Source = "urn:minigptmed:" + notice.CalledAe,
        Subject = notice.StudyInstanceUid,
        Time = notice.AnalysedAt,
        Data = new StudyAnalysedData(notice.StudyInstanceUid, notice.AccessionNumber, notice.CalledAe, notice.Version, notice.Modality,
            notice.Priority.ToText(), notice.Summary, notice.Narrative, notice.Findings, notice.ReportUid),
    };

    public async Task SendAsync(Notice notice, CancellationToken cancellationToken)
    {
        var cloudEvent = Event(notice, Name);
        var body = JsonSerializer.SerializeToUtf8Bytes(cloudEvent, CloudEventJsonContext.Default.CloudEvent);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(options.Secret, body));
        request.Headers.TryAddWithoutValidation(WebhookSignature.DeliveryHeader, cloudEvent.Id);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var what = $"webhook {options.Name} answered {status} {response.ReasonPhrase} to delivery {cloudEvent.Id}";
        if (status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500)
        {
            throw new NoticeRetryException(what);
        }

        throw new PermanentJobFailureException(what);
    }
}
