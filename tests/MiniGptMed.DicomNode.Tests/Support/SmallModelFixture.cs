using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.Inference;
using MiniGptMed.Inference.Runtime;

namespace MiniGptMed.DicomNode.Tests.Support;

/// <summary>The bundled small model, loaded once per test class (CPU).</summary>
public sealed class SmallModelFixture : IDisposable
{
    public SmallModelFixture()
    {
        Engine = MiniGptMedEngine.Load(TestPaths.SmallModel, new InferenceOptions { ExecutionProvider = ExecutionProviderKind.Cpu });
        Model = ModelIdentity.FromDirectory(TestPaths.SmallModel);
    }

    public MiniGptMedEngine Engine { get; }

    internal ModelIdentity Model { get; }

    internal CountingRunner Runner(int batchSize) => new(new EngineRunner(Engine, Model, batchSize));

    public void Dispose() => Engine.Dispose();
}

/// <summary>A runner that counts the batches it was given.</summary>
internal sealed class CountingRunner(IModelRunner inner) : IModelRunner
{
    public List<int> Batches { get; } = [];

    public ModelIdentity Model => inner.Model;

    public int BatchSize => inner.BatchSize;

    public Task<IReadOnlyList<AnalysisOutcome>> AnalyzeBatchAsync(IReadOnlyList<AnalysisRequest> requests, CancellationToken cancellationToken)
    {
        Batches.Add(requests.Count);
        return inner.AnalyzeBatchAsync(requests, cancellationToken);
    }
}
