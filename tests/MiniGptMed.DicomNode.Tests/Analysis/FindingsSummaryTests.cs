using MiniGptMed.DicomNode.Analysis;

namespace MiniGptMed.DicomNode.Tests.Analysis;

/// <summary>The one-line findings summary kept on a group (<c>studies.findings</c>) and logged.</summary>
public sealed class FindingsSummaryTests
{
    [Fact]
    public void NoRegions_IsNoFindings() =>
        Assert.Equal("no findings", FindingsSummary.Of([("nodule", 0)]));

    [Fact]
    public void Labels_AreCountedCaseInsensitively_MostFirst()
    {
        Assert.Equal("1 finding: nodule x1", FindingsSummary.Of([("nodule", 1)]));
        Assert.Equal("4 findings: nodule x3, effusion x1", FindingsSummary.Of([("effusion", 1), ("nodule", 2), ("Nodule", 1)]));
    }

    [Fact]
    public void AModelPhrase_StaysOneBoundedLine_WithoutTheSummarysSeparators()
    {
        var summary = FindingsSummary.Of([("left\nlower lobe, consolidation " + new string('x', 200), 1)]);
        Assert.DoesNotContain('\n', summary);
        Assert.StartsWith("1 finding: left lower lobe; consolidation ", summary, StringComparison.Ordinal);
        Assert.True(summary.Length < 80, summary);
    }

    [Fact]
    public void ManyLabels_ShowTheFirstEight_AndSayHowManyMore()
    {
        var summary = FindingsSummary.Of(Enumerable.Range(1, 10).Select(i => ($"label{i:D2}", 1)));
        Assert.StartsWith("10 findings: label01 x1, ", summary, StringComparison.Ordinal);
        Assert.EndsWith("label08 x1, 2 more labels", summary, StringComparison.Ordinal);
    }
}
