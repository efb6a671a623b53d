namespace MiniGptMed.Inference.Generation;

/// <summary>
/// Decoding settings of one request. The defaults are MiniGPT-Med's evaluation (MODEL.md "Generation"):
/// greedy, repetition penalty 1.0, the task's max_new_tokens. The demo used sampling with
/// temperature 0.6, top-p 0.9, repetition penalty 1.05.
/// </summary>
public sealed record GenerationOptions
{
    public static readonly GenerationOptions Greedy = new();

    /// <summary>Overrides the task's max_new_tokens from the manifest.</summary>
    public int? MaxNewTokens { get; init; }

    public bool Sample { get; init; }

    public float Temperature { get; init; } = 1.0f;

    public float TopP { get; init; } = 1.0f;

    /// <summary>Hugging Face's rule on generated tokens: positive logits divided, negative multiplied.</summary>
    public float RepetitionPenalty { get; init; } = 1.0f;

    public int? Seed { get; init; }

    /// <summary>Benchmarks: decode exactly the token limit, EOS or not.</summary>
    public bool IgnoreEos { get; init; }

    internal void Validate()
    {
        if (MaxNewTokens is < 1 or > 8192)
        {
            throw new InvalidRequestException($"max new tokens {MaxNewTokens} is outside 1..8192");
        }

        if (!(Temperature > 0) || !float.IsFinite(Temperature))
        {
            throw new InvalidRequestException($"temperature {Temperature} must be positive");
        }

        if (!(TopP > 0 && TopP <= 1))
        {
            throw new InvalidRequestException($"top_p {TopP} must be in (0, 1]");
        }

        if (!(RepetitionPenalty > 0) || !float.IsFinite(RepetitionPenalty))
        {
            throw new InvalidRequestException($"repetition penalty {RepetitionPenalty} must be positive");
        }
    }
}

public enum FinishReason
{
    EndOfSequence,
    MaxTokens,
}

/// <summary>Per request: the batch's prefill (vision + embeddings + first decoder call), then this sequence's decoding.</summary>
public sealed record GenerationTimings(double PrefillMs, double DecodeMs, int TokensOut, int BatchSize)
{
    public double DecodeTokensPerSecond => DecodeMs > 0 ? TokensOut / (DecodeMs / 1000.0) : 0;
}

/// <summary>What one batch cost: the decoder session's own time against the whole decode loop's.</summary>
public sealed record BatchStatistics(int BatchSize, double VisionMs, double PrefillMs, double DecodeLoopMs, double DecoderSessionMs, int DecodeSteps)
{
    /// <summary>Time of the loop outside the decoder session (embedding lookups, sampling, cache moves) relative to the session.</summary>
    public double LoopOverhead => DecoderSessionMs > 0 ? (DecodeLoopMs - DecoderSessionMs) / DecoderSessionMs : 0;
}

/// <summary>
/// One row's tokens; <paramref name="TokenLogProbs"/>[i] is ln p(token i) under the softmax of the logits it was chosen
/// from (after the repetition penalty, before temperature: the model's own distribution, the same for greedy and sampling).
/// </summary>
internal sealed record GeneratedSequence(IReadOnlyList<int> TokenIds, IReadOnlyList<double> TokenLogProbs, FinishReason Finish,
    GenerationTimings Timings);
