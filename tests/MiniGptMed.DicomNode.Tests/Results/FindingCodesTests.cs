using MiniGptMed.DicomNode.Results;

namespace MiniGptMed.DicomNode.Tests.Results;

public sealed class FindingCodesTests
{
    [Theory]
    [InlineData("pneumonia", "233604007", "Pneumonia")]
    [InlineData("Pleural Effusion", "60046008", "Pleural effusion")]
    [InlineData("effusions", "60046008", "Pleural effusion")]
    [InlineData("nodules", "27925004", "Nodule")]
    [InlineData("pulmonary nodule", "27925004", "Nodule")]
    [InlineData("mass", "4147007", "Mass")]
    [InlineData("cardiomegaly", "8186001", "Cardiomegaly")]
    [InlineData("pneumothorax", "36118008", "Pneumothorax")]
    [InlineData("consolidation", "95436008", "Lung consolidation")]
    [InlineData("atelectasis", "46621007", "Atelectasis")]
    [InlineData("fracture", "125605004", "Fracture of bone")]
    [InlineData("tumor", "108369006", "Neoplasm")]
    [InlineData("lesion", "52988006", "Lesion")]
    public void KnownPhrase_GetsItsSnomedCtCode(string phrase, string value, string meaning)
    {
        Assert.Equal(new FindingCode(value, "SCT", meaning), FindingCodes.For(phrase));
    }

    [Fact]
    public void UnknownPhrase_GetsAStablePrivateCode_NeverDcm()
    {
        var first = FindingCodes.For("ground  glass Opacity.");
        var second = FindingCodes.For("ground glass opacity");

        Assert.Equal(first, second);
        Assert.Equal(FindingCodes.PrivateScheme, first.Scheme);
        Assert.Equal("ground glass opacity", first.Meaning);
        Assert.True(first.Value.Length <= 16, first.Value);
        Assert.NotEqual(first.Value, FindingCodes.For("opacity").Value);
    }

    [Fact]
    public void LongPhrase_MeaningFitsLo_AndNoBackslashOrControlCharacterSurvives()
    {
        var code = FindingCodes.For(new string('x', 100) + "\\a\tb");

        Assert.True(code.Meaning.Length <= 64);
        Assert.DoesNotContain('\\', code.Meaning);
        Assert.DoesNotContain('\t', code.Meaning);
    }
}
