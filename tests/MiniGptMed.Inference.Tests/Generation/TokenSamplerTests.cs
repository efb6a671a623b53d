using MiniGptMed.Inference.Generation;

namespace MiniGptMed.Inference.Tests.Generation;

public sealed class TokenSamplerTests
{
    [Fact]
    public void Greedy_TakesTheFirstMaximum_AsTorchArgmax()
    {
        var sampler = new TokenSampler(GenerationOptions.Greedy);
        Assert.Equal(1, sampler.Next(new float[] { 0.5f, 2f, 2f, -1f }, []));
    }

    [Fact]
    public void TinyTopP_KeepsOnlyTheMostLikelyToken()
    {
        var sampler = new TokenSampler(new GenerationOptions { Sample = true, TopP = 0.01f, Seed = 1 });
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(3, sampler.Next(new float[] { 1f, 2f, 0f, 5f, 4.9f }, []));
        }
    }

    [Fact]
    public void Sampling_DrawsFromTheNucleusOnly()
    {
        // p ~ [0.49, 0.49, 0.02]: top_p 0.9 keeps the first two, the third never appears.
        var sampler = new TokenSampler(new GenerationOptions { Sample = true, TopP = 0.9f, Seed = 7 });
        var seen = new HashSet<int>();
        for (int i = 0; i < 200; i++)
        {
            seen.Add(sampler.Next(new float[] { 3f, 3f, -0.2f }, []));
        }

        Assert.Equal([0, 1], seen.Order());
    }

    [Fact]
    public void RepetitionPenalty_TurnsGreedyAwayFromARepeatedToken()
    {
        var sampler = new TokenSampler(new GenerationOptions { RepetitionPenalty = 1.5f });
        Assert.Equal(1, sampler.Next(new float[] { 3f, 2.5f, -1f }, [0]));
        Assert.Equal(0, new TokenSampler(GenerationOptions.Greedy).Next(new float[] { 3f, 2.5f, -1f }, [0]));
    }
}
