namespace MiniGptMed.Inference.Generation;

/// <summary>Chooses the next token from one row of logits: argmax, or temperature + nucleus (top-p) sampling.</summary>
internal sealed class TokenSampler
{
    private readonly GenerationOptions _options;
    private readonly Random? _random;
    private float[] _scratch = [];
    private int[] _order = [];

    public TokenSampler(GenerationOptions options)
    {
        _options = options;
        if (options.Sample)
        {
            _random = options.Seed is { } seed ? new Random(seed) : new Random();
        }
    }

    public int Next(Span<float> logits, IReadOnlyList<int> generated)
    {
        if (_options.RepetitionPenalty != 1.0f)
        {
            var seen = new HashSet<int>(generated);
            foreach (var id in seen)
            {
                if ((uint)id < (uint)logits.Length)
                {
                    logits[id] = logits[id] < 0 ? logits[id] * _options.RepetitionPenalty : logits[id] / _options.RepetitionPenalty;
                }
            }
        }

        return _random is null ? ArgMax(logits) : Sample(logits, _random);
    }

    /// <summary>First maximum, as torch.argmax returns.</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        float bestValue = float.NegativeInfinity;
        for (int i = 0; i < logits.Length; i++)
        {
            if (logits[i] > bestValue)
            {
                bestValue = logits[i];
                best = i;
            }
        }

        return best;
    }

    private int Sample(ReadOnlySpan<float> logits, Random random)
    {
        int n = logits.Length;
        if (_scratch.Length != n)
        {
            _scratch = new float[n];
            _order = new int[n];
        }

        float max = float.NegativeInfinity;
        for (int i = 0; i < n; i++)
        {
            max = Math.Max(max, logits[i]);
        }

        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            _scratch[i] = MathF.Exp((logits[i] - max) / _options.Temperature);
            sum += _scratch[i];
            _order[i] = i;
        }

        Array.Sort(_order, (a, b) => _scratch[b].CompareTo(_scratch[a]));
        double cumulative = 0, kept = 0;
        int count = 0;
        while (count < n)
        {
            var p = _scratch[_order[count]] / sum;
            kept += p;
            count++;
            cumulative += p;
            if (cumulative >= _options.TopP)
            {
                break;
            }
        }

        double target = random.NextDouble() * kept;
        double acc = 0;
        for (int i = 0; i < count; i++)
        {
            acc += _scratch[_order[i]] / sum;
            if (acc >= target)
            {
                return _order[i];
            }
        }

        return _order[count - 1];
    }
}
