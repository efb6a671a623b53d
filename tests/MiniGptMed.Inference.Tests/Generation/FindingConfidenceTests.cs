using MiniGptMed.Inference.Generation;
using MiniGptMed.Inference.Output;
using MiniGptMed.Inference.Tests.Support;

namespace MiniGptMed.Inference.Tests.Generation;

[Collection(EngineCollection.Name)]
public sealed class FindingConfidenceTests(EngineFixture fixture)
{
    private readonly MiniGptMedEngine _engine = fixture.Engine;

    [Fact]
    public async Task Confidence_IsTheGeometricMeanOfTheChosenTokensSoftmaxOverThePhraseAndBoxTokens()
    {
        // Grounding answers "a <p>nodule</p> {<..>} in the right lung .": the words around the finding must not count.
        var golden = Goldens.SmallModel.Cases.First(c => c.Task == "grounding");
        var logits = new List<float[]>();
        _engine.Generator.LogitsObserver = (_, _, row) => logits.Add((float[])row.Clone());
        AnalysisResult result;
        try
        {
            result = await _engine.AnalyzeAsync(GeneratorGoldenTests.RequestFor(golden, _engine));
        }
        finally
        {
            _engine.Generator.LogitsObserver = null;
        }

        // Independently: the softmax of each step's logits at the token chosen, over the tokens whose text lies in the finding.
        var finding = Assert.Single(result.Output.Findings);
        var start = result.RawText.IndexOf("<p>", StringComparison.Ordinal);
        var end = result.RawText.IndexOf('}', StringComparison.Ordinal) + 1;
        var probabilities = new List<double>();
        int before = 0;
        for (int i = 0; i < result.TokenIds.Count; i++)
        {
            var after = _engine.Tokenizer.Decode(result.TokenIds.Take(i + 1)).Length;
            if (after > before && before < end && after > start)
            {
                var row = logits[i];
                var max = row.Max();
                var sum = row.Sum(l => Math.Exp(l - (double)max));
                probabilities.Add(Math.Exp(row[result.TokenIds[i]] - max) / sum);
            }

            before = Math.Max(before, after);
        }

        Assert.True(probabilities.Count >= 6, $"only {probabilities.Count} tokens in '{result.RawText[start..end]}'");
        var expected = Math.Pow(probabilities.Aggregate(1.0, (a, p) => a * p), 1.0 / probabilities.Count);
        Assert.NotNull(finding.Confidence);
        Assert.Equal(expected, finding.Confidence!.Value, 9);
        Assert.InRange(finding.Confidence.Value, 0.0, 1.0);
        Assert.Equal(result.TokenIds.Count, result.TokenLogProbs.Count);
    }

    [Fact]
    public async Task Confidence_UnderGreedyDecoding_IsTheSameOnEveryRunAndInABatch()
    {
        var requests = Goldens.SmallModel.Cases.Where(c => c.Task is "detection" or "grounding")
            .Select(c => GeneratorGoldenTests.RequestFor(c, _engine)).ToList();
        var alone = new List<double?>();
        foreach (var r in requests)
        {
            alone.AddRange((await _engine.AnalyzeAsync(r)).Output.Findings.Select(f => f.Confidence));
        }

        var again = new List<double?>();
        foreach (var r in requests)
        {
            again.AddRange((await _engine.AnalyzeAsync(r)).Output.Findings.Select(f => f.Confidence));
        }

        Assert.All(alone, c => Assert.NotNull(c));
        Assert.Equal(alone, again);
        var batched = (await _engine.AnalyzeBatchAsync(requests))
            .SelectMany(o => o.GetResultOrThrow().Output.Findings.Select(f => f.Confidence!.Value)).ToList();
        Assert.Equal(alone.Count, batched.Count);
        for (int i = 0; i < batched.Count; i++)
        {
            // Padding changes the float sums slightly, never the choice of token.
            Assert.Equal(alone[i]!.Value, batched[i], 3);
        }
    }

    [Fact]
    public void Score_CountsOnlyTheTokensOfEachFinding()
    {
        var tokenizer = _engine.Tokenizer;
        const string text = "<p>nodule</p> {<1><2><3><4>} and <p>mass</p> {<5><6><7><8>}";
        var ids = tokenizer.Encode(text);
        var ends = FindingConfidence.TokenEnds(ids, tokenizer, tokenizer.Decode(ids).Length);
        var second = tokenizer.Decode(ids).IndexOf("<p>mass", StringComparison.Ordinal);
        // Every token of the first finding is certain (p = 1), every other token has p = 0.25.
        var logProbs = ends.Select((e, i) => (i == 0 ? 0 : ends[i - 1]) < second && e <= second ? Math.Log(1.0) : Math.Log(0.25)).ToList();
        var raw = tokenizer.Decode(ids);
        var scored = FindingConfidence.Score(OutputParser.Parse(raw, 100, 100), ids, logProbs, tokenizer);
        Assert.Equal(2, scored.Findings.Count);
        Assert.Equal(1.0, scored.Findings[0].Confidence!.Value, 9);
        Assert.Equal(0.25, scored.Findings[1].Confidence!.Value, 9);
    }

    [Fact]
    public void LogSoftmaxAt_ForLargeLogits_DoesNotOverflowAndMatchesTheDefinition()
    {
        float[] logits = [1000f, 999f, 998f];
        var expected = -Math.Log(1 + Math.Exp(-1) + Math.Exp(-2));
        Assert.Equal(expected, TokenProbability.LogSoftmaxAt(logits, 0), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenProbability.LogSoftmaxAt(logits, 3));
    }
}
