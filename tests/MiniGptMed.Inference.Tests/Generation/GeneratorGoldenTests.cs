using System.Globalization;
using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Output;
using MiniGptMed.Inference.Tests.Support;

namespace MiniGptMed.Inference.Tests.Generation;

[Collection(EngineCollection.Name)]
public sealed class GeneratorGoldenTests(EngineFixture fixture)
{
    private readonly MiniGptMedEngine _engine = fixture.Engine;

    internal static AnalysisRequest RequestFor(GoldenCase c, MiniGptMedEngine engine)
    {
        Assert.True(MedTaskExtensions.TryParse(c.Task, out var task));
        var image = Goldens.SmallModel.Images[c.Image];
        var tag = engine.Manifest.Task(task).Tag;
        var text = tag.Length == 0 ? c.Instruction : c.Instruction[(tag.Length + 1)..];
        PixelBox? box = null;
        if (c.Box is { } b)
        {
            // Pixel coordinates that map back to exactly these model units: int(v / 32 * 100).
            box = new PixelBox((b[0] * 0.32) + 0.1, (b[1] * 0.32) + 0.1, (b[2] * 0.32) + 0.1, (b[3] * 0.32) + 0.1);
            text = text[..text.IndexOf('{', StringComparison.Ordinal)].TrimEnd() + " {box}";
        }

        return new AnalysisRequest(image.ToImage(), task, text, box);
    }

    [Fact]
    public async Task Logits_AtPrefillAndAfterDecodeSteps_EqualPyTorchWithin1e3()
    {
        var golden = Goldens.SmallModel.Cases.Single(c => c.Logits is not null);
        var seen = new Dictionary<int, float[]>();
        _engine.Generator.LogitsObserver = (step, row, logits) => seen[step] = (float[])logits.Clone();
        try
        {
            await _engine.AnalyzeAsync(RequestFor(golden, _engine));
        }
        finally
        {
            _engine.Generator.LogitsObserver = null;
        }

        Assert.Equal(3, golden.Logits!.Count);
        foreach (var (stepText, expected) in golden.Logits)
        {
            var step = int.Parse(stepText, CultureInfo.InvariantCulture);
            Assert.True(seen.ContainsKey(step), $"no logits seen at step {step}");
            var actual = seen[step];
            Assert.Equal(expected.Length, actual.Length);
            var worst = Enumerable.Range(0, actual.Length).Max(i => Math.Abs(actual[i] - expected[i]));
            Assert.True(worst < 1e-3, $"step {step}: max |logit difference| {worst}");
        }
    }

    [Fact]
    public async Task GreedyTokens_ForEveryTaskAndImage_EqualPyTorch()
    {
        foreach (var c in Goldens.SmallModel.Cases)
        {
            var result = await _engine.AnalyzeAsync(RequestFor(c, _engine));
            Assert.True(c.GeneratedIds.SequenceEqual(result.TokenIds),
                $"{c.Task}/{c.Image}: [{string.Join(",", result.TokenIds)}] != [{string.Join(",", c.GeneratedIds)}]");
            Assert.Equal(c.Text, result.RawText);
        }
    }

    [Fact]
    public async Task BatchOfFourDifferentPrompts_GivesTheSameTokensAsEachAlone()
    {
        // Different tasks give different prompt lengths, so the batch is left padded, and rows finish at different steps.
        var cases = new[] { "report", "detection", "identify", "vqa" }
            .Select((t, i) => Goldens.SmallModel.Cases.First(c => c.Task == t && c.Image == i % 2))
            .Select(c => RequestFor(c, _engine))
            .ToList();
        var alone = new List<IReadOnlyList<int>>();
        foreach (var r in cases)
        {
            alone.Add((await _engine.AnalyzeAsync(r)).TokenIds);
        }

        var batch = await _engine.AnalyzeBatchAsync(cases);
        Assert.Equal(4, _engine.LastBatch!.BatchSize);
        Assert.True(alone.Select(a => a.Count).Distinct().Count() > 1, "rows should finish at different steps");
        for (int i = 0; i < cases.Count; i++)
        {
            Assert.Equal(alone[i], batch[i].GetResultOrThrow().TokenIds);
        }
    }

    [Fact]
    public async Task Result_ReportsTimingsAndParsesBoxesIntoPixels()
    {
        var golden = Goldens.SmallModel.Cases.First(c => c.Task == "grounding");
        var result = await _engine.AnalyzeAsync(RequestFor(golden, _engine));
        Assert.True(result.Timings.PrefillMs > 0);
        Assert.Equal(result.TokenIds.Count, result.Timings.TokensOut);
        Assert.True(result.Timings.DecodeTokensPerSecond > 0);
        var expected = OutputParser.Parse(golden.Text, 32, 32);
        Assert.Equal(expected.Text, result.Output.Text);
        Assert.Equal(expected.Findings.Count, result.Output.Findings.Count);
    }

    [Fact]
    public async Task MaxNewTokens_StopsTheSequence()
    {
        var c = Goldens.SmallModel.Cases.First(x => x.Task == "report");
        var request = RequestFor(c, _engine) with { Generation = new Inference.Generation.GenerationOptions { MaxNewTokens = 3 } };
        var result = await _engine.AnalyzeAsync(request);
        Assert.Equal(c.GeneratedIds.Take(3), result.TokenIds);
        Assert.Equal(Inference.Generation.FinishReason.MaxTokens, result.Finish);
    }

    [Fact]
    public async Task Sampling_WithASeed_IsReproducible()
    {
        var c = Goldens.SmallModel.Cases.First(x => x.Task == "report");
        var options = new Inference.Generation.GenerationOptions { Sample = true, Temperature = 1.5f, TopP = 0.95f, RepetitionPenalty = 1.05f, Seed = 42 };
        var request = RequestFor(c, _engine) with { Generation = options };
        var first = await _engine.AnalyzeAsync(request);
        var second = await _engine.AnalyzeAsync(request);
        Assert.Equal(first.TokenIds, second.TokenIds);
        Assert.NotEmpty(first.TokenIds);
    }

    [Fact]
    public async Task Cancellation_BeforeTheStart_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var c = Goldens.SmallModel.Cases[0];
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _engine.AnalyzeAsync(RequestFor(c, _engine), cts.Token));
    }

    [Fact]
    public async Task Cancellation_DuringDecoding_StopsTheBatch_AndTheEngineKeepsServing()
    {
        var c = Goldens.SmallModel.Cases.First(x => x.Task == "report");
        using var cts = new CancellationTokenSource();
        int lastStep = -1;
        _engine.Generator.LogitsObserver = (step, _, _) =>
        {
            lastStep = step;
            if (step == 2)
            {
                cts.Cancel();
            }
        };
        try
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _engine.AnalyzeAsync(RequestFor(c, _engine), cts.Token));
        }
        finally
        {
            _engine.Generator.LogitsObserver = null;
        }

        Assert.Equal(2, lastStep);
        Assert.Equal(c.GeneratedIds, (await _engine.AnalyzeAsync(RequestFor(c, _engine))).TokenIds);
    }
}
