using MiniGptMed.Inference.Runtime;

namespace MiniGptMed.Inference.Tests.Support;

/// <summary>One CPU engine over the small model, shared by the tests of a collection (loading costs a second).</summary>
public sealed class EngineFixture : IDisposable
{
    public EngineFixture()
    {
        Engine = MiniGptMedEngine.Load(TestPaths.SmallModel, new InferenceOptions { ExecutionProvider = ExecutionProviderKind.Cpu, IntraOpThreads = 1 });
    }

    public MiniGptMedEngine Engine { get; }

    public void Dispose() => Engine.Dispose();
}

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "small model engine";
}
