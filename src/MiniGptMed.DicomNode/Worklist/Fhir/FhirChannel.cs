using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Worklist.Notices;

namespace MiniGptMed.DicomNode.Worklist.Fhir;

/// <summary>
/// The <c>fhir</c> channel: POSTs the version's transaction Bundle (<see cref="FhirBundleWriter"/>) to
/// <c>Worklist:Fhir:BaseUrl</c> (FHIR R4 3.1.0.11: a transaction is a POST of a Bundle to the base). The answer
/// decides: 2xx done (the server made or found every entry: conditional creates); 408, 429 and 5xx retried; a 401
/// with OAuth retried with a new token; any other 4xx dead-lettered with the OperationOutcome's text in the error.
/// Connection errors and timeouts are retried by the channel's pipeline.
/// </summary>
internal sealed class FhirChannel(IOptionsMonitor<WorklistOptions> options, HttpClient http, FhirTokenSource tokens, ILogger logger) : INoticeChannel
{
    private static readonly char[] Breaks = ['\r', '\n', '\t'];

    public string Name => FhirOptions.ChannelName;

    public ChannelResilienceOptions Resilience => options.CurrentValue.Fhir;

    public async Task SendAsync(Notice notice, CancellationToken cancellationToken)
    {
        var fhir = options.CurrentValue.Fhir;
        var body = JsonSerializer.SerializeToUtf8Bytes(FhirBundleWriter.Write(notice), FhirJsonContext.Default.FhirBundle);
        using var request = new HttpRequestMessage(HttpMethod.Post, fhir.BaseUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json") { CharSet = "utf-8" };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        request.Headers.Authorization = await tokens.AuthorizationAsync(fhir, cancellationToken).ConfigureAwait(false);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var answer = await ReadBoundedAsync(response, fhir.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var (created, existing) = Outcomes(answer);
            WorklistLog.FhirAccepted(logger, notice.StudyInstanceUid, notice.Version, status, created, existing);
            return;
        }

        var what = $"FHIR {fhir.BaseUrl} answered {status} {response.ReasonPhrase} to report {FhirBundleWriter.ReportId(notice)}: {OutcomeText(answer)}";
        if (status == (int)HttpStatusCode.Unauthorized && fhir.OAuth.Enabled)
        {
            // The token may have been revoked or expired early: the next attempt asks for a new one.
            tokens.Invalidate();
            throw new NoticeRetryException(what);
        }

        if (status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500)
        {
            throw new NoticeRetryException(what);
        }

        throw new PermanentJobFailureException(what);
    }

    /// <summary>The body, at most <paramref name="maxBytes"/> of it: a server that sends more is cut off, never buffered without bound.</summary>
    internal static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[Math.Min(maxBytes, 64 * 1024)];
        using var kept = new MemoryStream();
        int read;
        while (kept.Length < maxBytes && (read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, maxBytes - kept.Length)), cancellationToken).ConfigureAwait(false)) > 0)
        {
            kept.Write(buffer, 0, read);
        }

        return kept.ToArray();
    }

    /// <summary>
    /// The text of an OperationOutcome (FHIR R4 OperationOutcome.issue: severity, code, details.text or diagnostics),
    /// one issue after the other; a body that is not one is shown as an excerpt.
    /// </summary>
    internal static string OutcomeText(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("resourceType", out var type) && type.ValueEquals("OperationOutcome")
                && root.TryGetProperty("issue", out var issues) && issues.ValueKind == JsonValueKind.Array)
            {
                var texts = new List<string>();
                foreach (var issue in issues.EnumerateArray())
                {
                    var severity = Text(issue, "severity") ?? "?";
                    var code = Text(issue, "code") ?? "?";
                    var details = issue.TryGetProperty("details", out var d) ? Text(d, "text") : null;
                    var diagnostics = Text(issue, "diagnostics");
                    var where = issue.TryGetProperty("expression", out var e) && e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > 0
                        ? " at " + e[0].GetString() : "";
                    texts.Add($"{severity} {code}{where}: {details ?? diagnostics ?? "no text"}");
                }

                return Shorten(string.Join("; ", texts), 2000);
            }
        }
        catch (JsonException)
        {
        }

        return body.Length == 0 ? "no body" : Excerpt(body);
    }

    internal static string Excerpt(byte[] body) =>
        Shorten(string.Join(' ', Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 2000)).Split(Breaks, StringSplitOptions.RemoveEmptyEntries)), 300);

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>From a transaction-response Bundle: how many entries were created (201) and how many found (200, a conditional create that matched).</summary>
    private static (int Created, int Existing) Outcomes(byte[] body)
    {
        var created = 0;
        var existing = 0;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("entry", out var entries) && entries.ValueKind == JsonValueKind.Array)
            {
                foreach (var entry in entries.EnumerateArray())
                {
                    var status = entry.TryGetProperty("response", out var r) ? Text(r, "status") : null;
                    if (status?.StartsWith("201", StringComparison.Ordinal) == true)
                    {
                        created++;
                    }
                    else if (status?.StartsWith("200", StringComparison.Ordinal) == true)
                    {
                        existing++;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // A 2xx without a readable transaction-response still means the server took the Bundle.
        }

        return (created, existing);
    }
}
