using System.Globalization;
using System.Text;

namespace MiniGptMed.DicomNode.Validation;

/// <summary>
/// The report-generation metrics of the MiniGPT-Med paper's kind: ROUGE-L (Lin 2004, "ROUGE: A Package for Automatic
/// Evaluation of Summaries", section 3.1) and BLEU-4 (Papineni et al. 2002, "BLEU: a Method for Automatic Evaluation of
/// Machine Translation"), on lower-cased words with punctuation dropped (as the COCO caption evaluation's tokenizer
/// does before both).
/// </summary>
internal static class TextMetrics
{
    /// <summary>ROUGE-L's recall weight: the value of the COCO caption evaluation (pycocoevalcap), which radiology report papers report.</summary>
    public const double RougeBeta = 1.2;

    /// <summary>Lower-cased runs of letters and digits; everything else separates words.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    /// <summary>Length of the longest common subsequence (dynamic programming, two rows).</summary>
    public static int LongestCommonSubsequence(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
        {
            for (var j = 1; j <= b.Count; j++)
            {
                current[j] = string.Equals(a[i - 1], b[j - 1], StringComparison.Ordinal)
                    ? previous[j - 1] + 1
                    : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Count];
    }

    /// <summary>
    /// ROUGE-L of a candidate against one reference (Lin 2004, 3.1): R = LCS/|reference|, P = LCS/|candidate|,
    /// F = (1 + beta^2) R P / (R + beta^2 P); 0 when either is empty or nothing is shared.
    /// </summary>
    public static double RougeL(IReadOnlyList<string> candidate, IReadOnlyList<string> reference, double beta = RougeBeta)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reference);
        if (candidate.Count == 0 || reference.Count == 0)
        {
            return 0;
        }

        var lcs = LongestCommonSubsequence(candidate, reference);
        if (lcs == 0)
        {
            return 0;
        }

        var recall = (double)lcs / reference.Count;
        var precision = (double)lcs / candidate.Count;
        var b2 = beta * beta;
        return (1 + b2) * recall * precision / (recall + b2 * precision);
    }

    public static double RougeL(string candidate, string reference, double beta = RougeBeta) => RougeL(Words(candidate), Words(reference), beta);

    /// <summary>
    /// Corpus BLEU-4 (Papineni et al. 2002, section 2): clipped n-gram matches (n = 1..4) and candidate n-grams summed
    /// over the corpus, the geometric mean of the four precisions with uniform weights, times the brevity penalty
    /// exp(1 - r/c) when the candidates' total length c is below r, the sum of each candidate's closest reference length
    /// (the shorter one on a tie). No smoothing: 0 when some order has no match.
    /// </summary>
    public static double Bleu(IReadOnlyList<(IReadOnlyList<string> Candidate, IReadOnlyList<IReadOnlyList<string>> References)> corpus, int maxOrder = 4)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var matches = new long[maxOrder];
        var totals = new long[maxOrder];
        long candidateLength = 0, referenceLength = 0;
        foreach (var (candidate, references) in corpus)
        {
            if (references.Count == 0)
            {
                throw new ArgumentException("every candidate needs at least one reference", nameof(corpus));
            }

            candidateLength += candidate.Count;
            referenceLength += references
                .Select(r => r.Count)
                .OrderBy(length => Math.Abs(length - candidate.Count))
                .ThenBy(length => length)
                .First();
            for (var n = 1; n <= maxOrder; n++)
            {
                var counts = NGrams(candidate, n);
                var maxReference = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var reference in references)
                {
                    foreach (var (gram, count) in NGrams(reference, n))
                    {
                        maxReference[gram] = Math.Max(maxReference.GetValueOrDefault(gram), count);
                    }
                }

                foreach (var (gram, count) in counts)
                {
                    matches[n - 1] += Math.Min(count, maxReference.GetValueOrDefault(gram));
                }

                totals[n - 1] += Math.Max(0, candidate.Count - n + 1);
            }
        }

        if (candidateLength == 0)
        {
            return 0;
        }

        var logSum = 0.0;
        for (var n = 0; n < maxOrder; n++)
        {
            if (matches[n] == 0 || totals[n] == 0)
            {
                return 0;
            }

            logSum += Math.Log((double)matches[n] / totals[n]) / maxOrder;
        }

        var brevity = candidateLength < referenceLength ? Math.Exp(1 - (double)referenceLength / candidateLength) : 1.0;
        return brevity * Math.Exp(logSum);
    }

    /// <summary>BLEU-4 of one candidate against its references (the corpus of one sentence).</summary>
    public static double Bleu(IReadOnlyList<string> candidate, IReadOnlyList<IReadOnlyList<string>> references) => Bleu([(candidate, references)]);

    private static Dictionary<string, int> NGrams(IReadOnlyList<string> words, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= words.Count; i++)
        {
            // U+0001 cannot occur inside a word, so joined n-grams never collide.
            var gram = string.Join('\u0001', Enumerable.Range(i, n).Select(k => words[k]));
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }

        return counts;
    }
}
