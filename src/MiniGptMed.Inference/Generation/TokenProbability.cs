namespace MiniGptMed.Inference.Generation;

/// <summary>The probability the model gave a chosen token: log-softmax of one row of logits at that token.</summary>
public static class TokenProbability
{
    /// <summary>
    /// ln(exp(l[t]) / sum exp(l[i])), computed as l[t] - max - ln(sum exp(l[i] - max)) so no exponent overflows.
    /// Summed in double in index order: the same logits give the same bits, so greedy decoding gives a
    /// deterministic confidence.
    /// </summary>
    public static double LogSoftmaxAt(ReadOnlySpan<float> logits, int token)
    {
        if ((uint)token >= (uint)logits.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(token), token, $"token outside a vocabulary of {logits.Length}");
        }

        float max = float.NegativeInfinity;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }

        double sum = 0;
        foreach (var l in logits)
        {
            sum += Math.Exp(l - (double)max);
        }

        return logits[token] - (double)max - Math.Log(sum);
    }
}
