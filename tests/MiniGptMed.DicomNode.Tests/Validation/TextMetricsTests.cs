using MiniGptMed.DicomNode.Validation;

namespace MiniGptMed.DicomNode.Tests.Validation;

public sealed class TextMetricsTests
{
    private static readonly string[] Hypothesis1 =
        ["It", "is", "a", "guide", "to", "action", "which", "ensures", "that", "the", "military", "always", "obeys", "the", "commands", "of", "the", "party"];

    private static readonly string[] Reference1A =
        ["It", "is", "a", "guide", "to", "action", "that", "ensures", "that", "the", "military", "will", "forever", "heed", "Party", "commands"];

    private static readonly string[] Reference1B =
        ["It", "is", "the", "guiding", "principle", "which", "guarantees", "the", "military", "forces", "always", "being", "under", "the", "command", "of", "the", "Party"];

    private static readonly string[] Reference1C =
        ["It", "is", "the", "practical", "guide", "for", "the", "army", "always", "to", "heed", "the", "directions", "of", "the", "party"];

    [Fact]
    public void Bleu4_OfPapinenisExample_IsTheValuePublishedWithNltk()
    {
        // Papineni et al. 2002, example 1 (candidate 1, three references); NLTK's sentence_bleu documentation gives
        // 0.5045666840058485 for it (uniform weights, no smoothing, closest reference length).
        var bleu = TextMetrics.Bleu(Hypothesis1, [Reference1A, Reference1B, Reference1C]);
        Assert.Equal(0.5045666840058485, bleu, 12);
    }

    [Fact]
    public void CorpusBleu4_SumsCountsOverSentences_AsNltksDocumentedExample()
    {
        // NLTK's corpus_bleu documentation: the two-sentence corpus gives 0.5920778868801042 (not the mean of the
        // sentence scores: counts and lengths are summed before the precisions are taken).
        string[] hypothesis2 = ["he", "read", "the", "book", "because", "he", "was", "interested", "in", "world", "history"];
        string[] reference2 = ["he", "was", "interested", "in", "world", "history", "because", "he", "read", "the", "book"];
        var bleu = TextMetrics.Bleu(
        [
            (Hypothesis1, [Reference1A, Reference1B, Reference1C]),
            (hypothesis2, [reference2]),
        ]);
        Assert.Equal(0.5920778868801042, bleu, 12);
    }

    [Fact]
    public void Bleu4_IsZeroWithoutAFourGramMatch_AndOneForAnExactCopy()
    {
        Assert.Equal(0.0, TextMetrics.Bleu(TextMetrics.Words("one lesion in the lung"), [TextMetrics.Words("one lesion in each lung")]));
        Assert.Equal(1.0, TextMetrics.Bleu(TextMetrics.Words("one lesion in the right lung ."), [TextMetrics.Words("One lesion in the RIGHT lung")]), 12);
    }

    [Fact]
    public void Bleu4_BrevityPenalty_ShortCandidateScoresExpOneMinusRatio()
    {
        // The candidate's 4 words all appear in order in the 8-word reference: every precision is 1, BP = exp(1 - 8/4).
        var bleu = TextMetrics.Bleu(TextMetrics.Words("a b c d"), [TextMetrics.Words("a b c d e f g h")]);
        Assert.Equal(Math.Exp(-1), bleu, 12);
    }

    [Fact]
    public void RougeL_OfLinsExample_IsLcsOverLength()
    {
        // Lin 2004, 3.1: reference "police killed the gunman"; S2 "police kill the gunman" shares the LCS "police the
        // gunman" (3 of 4 words), S3 "the gunman kill police" shares "the gunman" (2 of 4). With equal lengths
        // P = R, so F = R for any beta.
        Assert.Equal(0.75, TextMetrics.RougeL("police kill the gunman", "police killed the gunman"), 12);
        Assert.Equal(0.5, TextMetrics.RougeL("the gunman kill police", "police killed the gunman"), 12);
    }

    [Fact]
    public void RougeL_WeighsRecallByBeta()
    {
        // LCS 2, candidate 2 words (P = 1), reference 4 words (R = 0.5): F = (1 + b^2) R P / (R + b^2 P), b = 1.2.
        const double b2 = 1.44;
        var expected = (1 + b2) * 0.5 * 1.0 / (0.5 + b2 * 1.0);
        Assert.Equal(expected, TextMetrics.RougeL("the gunman", "police killed the gunman"), 12);
        Assert.Equal(0.0, TextMetrics.RougeL("", "police killed the gunman"));
    }

    [Fact]
    public void Words_LowerCasesAndDropsPunctuation()
    {
        Assert.Equal(["two", "lesions", "one", "in", "each", "lung"], TextMetrics.Words("Two lesions , one in each lung ."));
    }
}
