using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MiniGptMed.DicomNode.Worklist.Webhook;

namespace MiniGptMed.DicomNode.Tests.Worklist;

/// <summary>
/// A webhook receiver on Kestrel (127.0.0.1, port from the OS): checks the signature over the bytes it got, answers
/// the first <c>failFirst</c> requests with 503, and keeps each delivery it accepted once by delivery id, as an
/// idempotent receiver does.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentDictionary<string, byte[]> Accepted { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string? DeliveryId, int Status)> Requests { get; } = new();

    public int BadSignatures;

    public string Url => _app.Urls.First() + "/hook";

    public static async Task<WebhookReceiver> StartAsync(string secret, int failFirst, int status = 503)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var bytes = body.ToArray();
            var id = context.Request.Headers[WebhookSignature.DeliveryHeader].FirstOrDefault();
            var answer = 200;
            if (!WebhookSignature.Verify(secret, bytes, context.Request.Headers[WebhookSignature.Header].FirstOrDefault()))
            {
                Interlocked.Increment(ref receiver.BadSignatures);
                answer = 401;
            }
            else if (Interlocked.Increment(ref receiver._requests) <= failFirst)
            {
                answer = status;
            }
            else
            {
                receiver.Accepted.TryAdd(id!, bytes);
            }

            receiver.Requests.Enqueue((id, answer));
            context.Response.StatusCode = answer;
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
