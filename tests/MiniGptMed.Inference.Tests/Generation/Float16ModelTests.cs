using MiniGptMed.Inference.Runtime;
using MiniGptMed.Inference.Tests.Support;

namespace MiniGptMed.Inference.Tests.Generation;

/// <summary>
/// models/small-fp16 has the float16 contract (pixels, embeddings, logits, KV cache) over the same
/// weights (tools/make_small_fp16.py), so the float16 conversions, the float16 cache and its
/// compaction, and last-position-only logits are exercised on CPU.
/// </summary>
public sealed class Float16ModelTests : IDisposable
{
    private readonly MiniGptMedEngine _engine = MiniGptMedEngine.Load(Path.Combine(TestPaths.RepositoryRoot, "models", "small-fp16"),
        new InferenceOptions { ExecutionProvider = ExecutionProviderKind.Cpu, IntraOpThreads = 1 });

    [Fact]
    public void Model_IsFloat16_WithLastPositionLogitsOnly()
    {
        Assert.True(_engine.Manifest.IsFloat16);
        using var decoder = new Microsoft.ML.OnnxRuntime.InferenceSession(Path.Combine(TestPaths.RepositoryRoot, "models", "small-fp16", "decoder.onnx"));
        Assert.Equal(1, decoder.OutputMetadata["logits"].Dimensions[1]);
    }

    [Fact]
    public async Task PrefillLogits_EqualPyTorchWithinFloat16Rounding()
    {
        var golden = Goldens.SmallModel.Cases.Single(c => c.Logits is not null);
        float[]? prefill = null;
        _engine.Generator.LogitsObserver = (step, _, logits) => prefill ??= step == 0 ? (float[])logits.Clone() : null;
        await _engine.AnalyzeAsync(GeneratorGoldenTests.RequestFor(golden, _engine));
        var expected = golden.Logits!["0"];
        Assert.NotNull(prefill);
        var worst = Enumerable.Range(0, expected.Length).Max(i => Math.Abs(prefill![i] - expected[i]) / Math.Max(1, Math.Abs(expected[i])));
        Assert.True(worst < 2e-2, $"max relative logit difference {worst}");
    }

    [Fact]
    public async Task GreedyTokens_InABatchOfAllGoldenCases_EqualPyTorch()
    {
        // One batch of 12 rows of different lengths: left padding and several cache compactions in float16.
        var cases = Goldens.SmallModel.Cases;
        var outcomes = await _engine.AnalyzeBatchAsync(cases.Select(c => GeneratorGoldenTests.RequestFor(c, _engine)).ToList());
        for (int i = 0; i < cases.Count; i++)
        {
            Assert.Equal(cases[i].GeneratedIds, outcomes[i].GetResultOrThrow().TokenIds);
        }
    }

    public void Dispose() => _engine.Dispose();
}
