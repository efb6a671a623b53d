using MiniGptMed.Inference.Text;

namespace MiniGptMed.Inference.Output;

/// <summary>
/// Gives each finding the geometric mean of the probabilities of the generated tokens that spell its phrase,
/// boxes and delimiters: exp(mean ln p). A token counts when any of its characters falls in one of the
/// finding's spans; a token's characters are found by decoding the growing prefix (SentencePiece pieces
/// merge spaces and bytes, so a token's text alone does not say where it lands in the answer).
/// </summary>
public static class FindingConfidence
{
    public static ParsedOutput Score(ParsedOutput parsed, IReadOnlyList<int> tokenIds, IReadOnlyList<double> logProbs, MedTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (parsed.Findings.Count == 0 || tokenIds.Count == 0 || tokenIds.Count != logProbs.Count)
        {
            return parsed;
        }

        var ends = TokenEnds(tokenIds, tokenizer, parsed.RawText.Length);
        var findings = parsed.Findings.Select(f => f with { Confidence = Of(f.SourceSpans, ends, logProbs) }).ToList();
        return parsed with { Findings = findings };
    }

    /// <summary>ends[i]: the raw text's length after token i (never shrinking, never past the whole text).</summary>
    internal static int[] TokenEnds(IReadOnlyList<int> tokenIds, MedTokenizer tokenizer, int rawLength)
    {
        var ends = new int[tokenIds.Count];
        int previous = 0;
        for (int i = 0; i < tokenIds.Count; i++)
        {
            var length = tokenizer.Decode(tokenIds.Take(i + 1)).Length;
            previous = Math.Min(rawLength, Math.Max(previous, length));
            ends[i] = previous;
        }

        return ends;
    }

    private static double? Of(IReadOnlyList<Range> spans, int[] ends, IReadOnlyList<double> logProbs)
    {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < ends.Length; i++)
        {
            int start = i == 0 ? 0 : ends[i - 1], end = ends[i];
            if (end > start && spans.Any(s => start < s.End.Value && end > s.Start.Value))
            {
                sum += logProbs[i];
                count++;
            }
        }

        return count == 0 ? null : Math.Exp(sum / count);
    }
}
