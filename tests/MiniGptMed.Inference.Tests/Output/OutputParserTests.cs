using MiniGptMed.Inference.Output;

namespace MiniGptMed.Inference.Tests.Output;

public sealed class OutputParserTests
{
    [Fact]
    public void PhraseWithOneBox_MapsToPixelsOfTheSourceImage()
    {
        var p = OutputParser.Parse("<p>pneumonia</p> {<12><30><40><71>}", 1024, 512);
        var f = Assert.Single(p.Findings);
        Assert.Equal("pneumonia", f.Phrase);
        Assert.Equal(new NormalizedBox(12, 30, 40, 71), Assert.Single(f.Boxes));
        var px = Assert.Single(f.PixelBoxes);
        Assert.Equal(0.12 * 1024, px.X1, 6);
        Assert.Equal(0.30 * 512, px.Y1, 6);
        Assert.Equal(0.40 * 1024, px.X2, 6);
        Assert.Equal(0.71 * 512, px.Y2, 6);
        Assert.Equal("pneumonia", p.Text);
        Assert.Empty(p.Problems);
    }

    [Fact]
    public void SeveralBoxesJoinedByDelim_BelongToOnePhrase()
    {
        var p = OutputParser.Parse("<p>tumor</p> {<1><2><30><40>}<delim>{<50><60><100><100>}", 100, 100);
        var f = Assert.Single(p.Findings);
        Assert.Equal([new NormalizedBox(1, 2, 30, 40), new NormalizedBox(50, 60, 100, 100)], f.Boxes);
        Assert.Empty(p.Problems);
    }

    [Fact]
    public void TwoPhrases_SeparatedByASpace_AreTwoFindings()
    {
        var p = OutputParser.Parse("<p>pneumonia</p> {<10><10><20><20>} <p>effusion</p> {<60><70><90><95>}", 100, 100);
        Assert.Equal(["pneumonia", "effusion"], p.Findings.Select(f => f.Phrase));
        Assert.All(p.Findings, f => Assert.Single(f.Boxes));
    }

    [Fact]
    public void GroundedSentence_KeepsTheWordsAndTheBox()
    {
        var p = OutputParser.Parse("a <p>nodule</p> {<3><5><25><53>} in the left lung .", 32, 32);
        Assert.Equal("a nodule in the left lung.", p.Text);
        Assert.Equal("nodule", Assert.Single(p.Findings).Phrase);
    }

    [Fact]
    public void BareBox_FromRefer_IsAFindingWithoutPhrase()
    {
        var p = OutputParser.Parse("{<0><5><100><99>}", 200, 100);
        var f = Assert.Single(p.Findings);
        Assert.Null(f.Phrase);
        Assert.Equal(new PixelBox(0, 5, 200, 99), Assert.Single(f.PixelBoxes));
        Assert.Equal("", p.Text);
    }

    [Fact]
    public void PlainReport_HasNoFindings()
    {
        var p = OutputParser.Parse("the heart size is normal . the lungs are clear .", 10, 10);
        Assert.Empty(p.Findings);
        Assert.Equal("the heart size is normal. the lungs are clear.", p.Text);
    }

    [Theory]
    [InlineData("<p>tumor</p> {<12><30>")]
    [InlineData("<p>tumor</p> {<12><30><40>}")]
    [InlineData("<p>tumor</p> {<3><5><5><53><53>}")]
    [InlineData("<p>tumor</p> {<12><30><40><7a>}")]
    [InlineData("<p>tumor</p> {<1234><30><40><71>}")]
    public void HalfOrJunkBox_IsDroppedAndFlagged_PhraseKept(string raw)
    {
        var p = OutputParser.Parse(raw, 100, 100);
        var f = Assert.Single(p.Findings);
        Assert.Equal("tumor", f.Phrase);
        Assert.Empty(f.Boxes);
        Assert.NotEmpty(p.Problems);
        Assert.Equal("tumor", p.Text);
    }

    [Fact]
    public void ValidBoxNextToAJunkOne_IsKept()
    {
        var p = OutputParser.Parse("<p>mass</p> {<10><10><20><20>}<delim>{<5><5>", 100, 100);
        Assert.Equal(new NormalizedBox(10, 10, 20, 20), Assert.Single(Assert.Single(p.Findings).Boxes));
        Assert.Single(p.Problems);
    }

    [Fact]
    public void ValuesAbove100_AreClamped_AndReversedCornersOrdered()
    {
        var p = OutputParser.Parse("{<120><80><30><10>}", 100, 100);
        Assert.Equal(new NormalizedBox(30, 10, 100, 80), Assert.Single(p.AllBoxes));
        Assert.Contains(p.Problems, x => x.Contains("clamped", StringComparison.Ordinal));
        Assert.Contains(p.Problems, x => x.Contains("reordered", StringComparison.Ordinal));
    }

    [Fact]
    public void TextAfterEosOrInst_IsCut()
    {
        var p = OutputParser.Parse("<p>pneumonia</p> {<1><2><3><4>}</s> [INST] junk {<9><9><9><9>}", 100, 100);
        Assert.Single(p.AllBoxes);
        Assert.Equal("pneumonia", p.Text);
        Assert.Equal("yes", OutputParser.Parse("yes [/INST] more", 10, 10).Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<p>")]
    [InlineData("</p></p><p><p>")]
    [InlineData("{{{{}}}}<delim><delim>")]
    [InlineData("<p>unclosed phrase {<1><2><3><4>}")]
    [InlineData("\u0000\uffff<<<>>>{<")]
    public void Junk_NeverThrows(string raw)
    {
        var p = OutputParser.Parse(raw, 100, 100);
        Assert.NotNull(p.Text);
        Assert.All(p.AllBoxes, b => Assert.True(b.X1 <= b.X2 && b.Y1 <= b.Y2 && b.X2 <= 100 && b.Y2 <= 100));
    }

    [Fact]
    public void BoxSeparatedFromThePhraseByWords_IsNotThePhrasesBox()
    {
        var p = OutputParser.Parse("<p>nodule</p> seen here {<1><2><3><4>}", 100, 100);
        Assert.Equal(2, p.Findings.Count);
        Assert.Empty(p.Findings[0].Boxes);
        Assert.Null(p.Findings[1].Phrase);
    }

    [Fact]
    public void EveryPrefixOfAnAnswer_ParsesWithoutThrowing_AndNeverInventsABox()
    {
        // What a cancelled or max-token-truncated generation leaves behind.
        const string answer = "a <p>nodule</p> {<21><18><53><43>}<delim>{<60><61><70><99>} and <p>effusion</p> {<1><2><3><4>} .";
        for (int n = 0; n <= answer.Length; n++)
        {
            var p = OutputParser.Parse(answer[..n], 64, 64);
            var complete = System.Text.RegularExpressions.Regex.Count(answer[..n], @"\{<\d+><\d+><\d+><\d+>\}");
            Assert.Equal(complete, p.AllBoxes.Count());
        }

        var full = OutputParser.Parse(answer, 64, 64);
        Assert.Equal(["nodule", "effusion"], full.Findings.Select(f => f.Phrase));
        Assert.Equal(2, full.Findings[0].Boxes.Count);
        Assert.Empty(full.Problems);
    }
}
