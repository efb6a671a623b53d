using System.Diagnostics.Metrics;

namespace MiniGptMed.DicomNode.Analysis;

/// <summary>Analysis's instruments (meter <c>MiniGptMed.Analysis</c>): latency per rule and which execution provider the model runs on.</summary>
internal static class AnalysisMetrics
{
    public const string MeterName = "MiniGptMed.Analysis";

    private static readonly Meter Meter = new(MeterName);

    private static volatile LoadedModel? _loaded;

    /// <summary>Seconds per analysed group: a radiograph takes about a second on the CPU, a CT series several, a real model on a GPU minutes at worst.</summary>
    public static readonly Histogram<double> Duration = Meter.CreateHistogram("minigptmed.analysis.duration", "s",
        "Time to analyse one group (load, render, infer, write the results), by rule.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600] });

    /// <summary>1 for the provider the loaded model runs on (Cpu, Cuda); nothing before the first analysis loads it.</summary>
    public static readonly ObservableGauge<int> ExecutionProvider = Meter.CreateObservableGauge("minigptmed.model.execution_provider",
        () => _loaded is { } model
            ? [new Measurement<int>(1, new KeyValuePair<string, object?>("provider", model.Provider), new KeyValuePair<string, object?>("model", model.Model))]
            : Array.Empty<Measurement<int>>(),
        description: "The execution provider of the loaded model (value 1).");

    /// <summary>The model loaded now; null until the first analysis.</summary>
    public static LoadedModel? Loaded => _loaded;

    public static void ModelLoaded(string provider, string model) => _loaded = new LoadedModel(provider, model);
}

internal sealed record LoadedModel(string Provider, string Model);
