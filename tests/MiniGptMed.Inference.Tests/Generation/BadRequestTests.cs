using MiniGptMed.Inference.Imaging;
using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Tests.Support;

namespace MiniGptMed.Inference.Tests.Generation;

[Collection(EngineCollection.Name)]
public sealed class BadRequestTests(EngineFixture fixture)
{
    private readonly MiniGptMedEngine _engine = fixture.Engine;

    private static RgbImage Good => Goldens.SmallModel.Images[0].ToImage();

    [Fact]
    public async Task OneByOneImage_IsRejectedWithItsSize()
    {
        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() =>
            _engine.AnalyzeAsync(new AnalysisRequest(new RgbImage(1, 1, [1, 2, 3]), MedTask.Report)));
        Assert.Contains("1x1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BufferOfTheWrongSize_IsRejectedWithBothLengths()
    {
        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() =>
            _engine.AnalyzeAsync(new AnalysisRequest(new RgbImage(64, 48, new byte[64 * 48]), MedTask.Report)));
        Assert.Contains("3072 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("9216", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HugeDeclaredSize_IsRejectedBeforeAnyAllocation()
    {
        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() =>
            _engine.AnalyzeAsync(new AnalysisRequest(new RgbImage(1_000_000, 1_000_000, new byte[3]), MedTask.Report)));
        Assert.Contains("at most", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdentifyWithoutBox_IsRejected()
    {
        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() => _engine.AnalyzeAsync(new AnalysisRequest(Good, MedTask.Identify)));
        Assert.Contains("box", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRequestInABatch_FailsAlone_AndTheEngineKeepsServing()
    {
        var requests = new[]
        {
            new AnalysisRequest(Good, MedTask.Vqa, "is there a nodule ?"),
            new AnalysisRequest(new RgbImage(1, 1, [0, 0, 0]), MedTask.Report),
            new AnalysisRequest(Good, MedTask.Report, Generation: new Inference.Generation.GenerationOptions { Temperature = -1, Sample = true }),
            new AnalysisRequest(Good, MedTask.Report),
        };
        var outcomes = await _engine.AnalyzeBatchAsync(requests);
        Assert.NotNull(outcomes[0].Result);
        Assert.IsType<InvalidRequestException>(outcomes[1].Error);
        Assert.Contains("temperature", outcomes[2].Error!.Message, StringComparison.Ordinal);
        Assert.NotNull(outcomes[3].Result);
        var again = await _engine.AnalyzeAsync(requests[0]);
        Assert.Equal(outcomes[0].Result!.TokenIds, again.TokenIds);
    }

    [Fact]
    public async Task FailureDuringABatch_FailsThatBatchsRequests_AndTheEngineKeepsServing()
    {
        var requests = new[] { new AnalysisRequest(Good, MedTask.Report), new AnalysisRequest(Good, MedTask.Vqa, "is there a nodule ?") };
        _engine.Generator.LogitsObserver = (step, _, _) =>
        {
            if (step == 1)
            {
                throw new InferenceException("simulated device failure");
            }
        };
        IReadOnlyList<AnalysisOutcome> outcomes;
        try
        {
            outcomes = await _engine.AnalyzeBatchAsync(requests);
        }
        finally
        {
            _engine.Generator.LogitsObserver = null;
        }

        Assert.All(outcomes, o => Assert.Contains("simulated device failure", o.Error!.Message, StringComparison.Ordinal));
        Assert.NotEmpty((await _engine.AnalyzeAsync(requests[0])).TokenIds);
    }
}
