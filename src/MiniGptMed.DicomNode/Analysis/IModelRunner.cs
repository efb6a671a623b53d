using MiniGptMed.Inference;

namespace MiniGptMed.DicomNode.Analysis;

/// <summary>What the analysis needs of the model: who it is, how many requests to send at once, and the batch call.</summary>
internal interface IModelRunner
{
    ModelIdentity Model { get; }

    int BatchSize { get; }

    Task<IReadOnlyList<AnalysisOutcome>> AnalyzeBatchAsync(IReadOnlyList<AnalysisRequest> requests, CancellationToken cancellationToken);
}

/// <summary>The MiniGPT-Med engine as the analysis' model (batch size: the engine options' MaxBatchSize).</summary>
internal sealed class EngineRunner(MiniGptMedEngine engine, ModelIdentity model, int batchSize) : IModelRunner
{
    public ModelIdentity Model { get; } = model;

    public int BatchSize { get; } = Math.Max(1, batchSize);

    public Task<IReadOnlyList<AnalysisOutcome>> AnalyzeBatchAsync(IReadOnlyList<AnalysisRequest> requests, CancellationToken cancellationToken) =>
        engine.AnalyzeBatchAsync(requests, cancellationToken);
}
