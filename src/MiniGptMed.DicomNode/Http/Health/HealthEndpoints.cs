using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Http.Api;
using MiniGptMed.DicomNode.Reception;

namespace MiniGptMed.DicomNode.Http.Health;

/// <summary>One check of <c>/health/ready</c>.</summary>
internal sealed record HealthCheck(string Name, bool Ok, string Detail);

/// <summary>
/// The body of <c>/health/live</c> and <c>/health/ready</c>; when not ready it is an RFC 9457 problem (type, title,
/// status, detail) with the checks as an extension member.
/// </summary>
internal sealed record HealthReport(string Type, string Title, int Status, string Detail, IReadOnlyList<HealthCheck> Checks);

/// <summary>
/// Probes for systemd, a load balancer or Kubernetes, anonymous and cheap. Live: the process answers. Ready: the
/// database answers, the model is there (loaded, or its manifest readable: it loads at the first analysis), the DICOM
/// listener is bound, and the data folder has more free space than <c>Storage:MinimumFreeMegabytes</c>.
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        group.MapGet("/live", () => TypedResults.Json(new HealthReport("about:blank", "Live", 200, "The process answers.", []), HttpJsonContext.Default.HealthReport));
        group.MapGet("/ready", ReadyAsync);
        return app;
    }

    private static async Task<IResult> ReadyAsync(NodeDatabase database, ReceptionService reception, IOptionsMonitor<StorageOptions> storage, CancellationToken cancellationToken)
    {
        var checks = new List<HealthCheck>
        {
            await DatabaseAsync(database, cancellationToken).ConfigureAwait(false),
            Model(),
            Listener(reception),
            Disk(storage.CurrentValue),
        };
        var ready = checks.All(c => c.Ok);
        var report = ready
            ? new HealthReport("about:blank", "Ready", 200, "Every check passed.", checks)
            : new HealthReport("https://tools.ietf.org/html/rfc9110#section-15.6.4", "Not ready", 503,
                string.Join("; ", checks.Where(c => !c.Ok).Select(c => $"{c.Name}: {c.Detail}")), checks);
        return TypedResults.Json(report, HttpJsonContext.Default.HealthReport, ready ? "application/json" : "application/problem+json", report.Status);
    }

    private static async Task<HealthCheck> DatabaseAsync(NodeDatabase database, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var counts = await database.Jobs.CountByStateAsync(timeout.Token).ConfigureAwait(false);
            return new HealthCheck("database", database.SchemaVersion > 0, $"{database.Provider}, schema {database.SchemaVersion}, {counts.Values.Sum()} jobs");
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or OperationCanceledException)
        {
            return new HealthCheck("database", false, ex.Message);
        }
    }

    private static HealthCheck Model()
    {
        if (AnalysisMetrics.Loaded is { } loaded)
        {
            return new HealthCheck("model", true, $"{loaded.Model} loaded on {loaded.Provider}");
        }

        var directory = BundledModel.DefaultDirectory();
        try
        {
            return new HealthCheck("model", true, $"{ModelIdentity.FromDirectory(directory)} in {directory}, loads at the first analysis");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or MiniGptMed.Inference.ModelLoadException)
        {
            return new HealthCheck("model", false, $"no readable model in {directory}: {ex.Message}");
        }
    }

    private static HealthCheck Listener(ReceptionService reception)
    {
        try
        {
            var tls = reception.TlsEndPoint is { } t ? $", TLS port {t.Port}" : "";
            return new HealthCheck("listener", true, $"port {reception.LocalEndPoint.Port}{tls}");
        }
        catch (InvalidOperationException ex)
        {
            return new HealthCheck("listener", false, ex.Message);
        }
    }

    private static HealthCheck Disk(StorageOptions storage)
    {
        var folder = Path.GetFullPath(storage.DataDirectory);
        try
        {
            var free = new DriveInfo(folder).AvailableFreeSpace / (1024 * 1024);
            return new HealthCheck("disk", free > storage.MinimumFreeMegabytes,
                $"{free} MB free in {folder} (Storage:MinimumFreeMegabytes {storage.MinimumFreeMegabytes})");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new HealthCheck("disk", false, $"{folder}: {ex.Message}");
        }
    }
}
