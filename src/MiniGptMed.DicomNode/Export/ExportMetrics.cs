using System.Diagnostics.Metrics;

namespace MiniGptMed.DicomNode.Export;

/// <summary>Export's instruments (meter <c>MiniGptMed.Export</c>): latency and failed attempts per destination.</summary>
internal static class ExportMetrics
{
    public const string MeterName = "MiniGptMed.Export";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Histogram<double> Duration = Meter.CreateHistogram("minigptmed.export.duration", "s",
        "Time to deliver one study's results to one destination (with the resilience pipeline's retries), by destination.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300] });

    public static readonly Counter<long> Failures = Meter.CreateCounter<long>("minigptmed.export.failures", "{attempt}",
        "Export job attempts that failed, by destination (the job retries or dead-letters).");

    public static KeyValuePair<string, object?> Destination(string name) => new("destination", name);
}
