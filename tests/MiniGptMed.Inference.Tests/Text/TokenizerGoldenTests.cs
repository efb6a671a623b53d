using MiniGptMed.Inference.Tests.Support;
using MiniGptMed.Inference.Text;

namespace MiniGptMed.Inference.Tests.Text;

public sealed class TokenizerGoldenTests
{
    private static readonly MedTokenizer Tokenizer = MedTokenizer.Load(Path.Combine(TestPaths.SmallModel, "tokenizer.model"), 1, 2);

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Goldens.Tokenizer.Cases.Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encode_EqualsPythonSentencePiece(int index)
    {
        var golden = Goldens.Tokenizer.Cases[index];
        Assert.Equal(golden.Ids, Tokenizer.Encode(golden.Text));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decode_EqualsPythonSentencePiece(int index)
    {
        var golden = Goldens.Tokenizer.Cases[index];
        Assert.Equal(golden.Decoded, Tokenizer.Decode(golden.Ids));
    }

    [Fact]
    public void Goldens_CoverByteFallbackDigitsAndLeadingSpace()
    {
        // The golden set must keep exercising the cases that differ between tokenizer implementations.
        var all = Goldens.Tokenizer.Cases;
        Assert.Contains(all, c => c.Ids.Any(id => id is >= 3 and < 3 + 256)); // <0x..> byte pieces follow the specials
        Assert.Contains(all, c => c.Text.StartsWith("  ", StringComparison.Ordinal));
        Assert.Contains(all, c => c.Text.Any(char.IsDigit));
    }

    [Fact]
    public void EncodeSegment_LiteralBosBecomesBosId_AndTextAfterItGetsTheDummyPrefix()
    {
        var ids = Tokenizer.EncodeSegment("<s>[INST] <Img>", addBos: false);
        Assert.Equal(1, ids[0]);
        Assert.Equal(Tokenizer.Encode("[INST] <Img>"), ids.Skip(1));
        Assert.Equal([1, 1, .. Tokenizer.Encode("[INST] <Img>")], Tokenizer.EncodeSegment("<s>[INST] <Img>", addBos: true));
    }

    [Fact]
    public void Load_MissingFile_NamesThePath()
    {
        var ex = Assert.Throws<ModelLoadException>(() => MedTokenizer.Load("/nonexistent/tokenizer.model", 1, 2));
        Assert.Contains("/nonexistent/tokenizer.model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotASentencePieceModel_SaysSo()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0xFF, 0x01, 0x02, 0x99, 0x42]);
            var ex = Assert.Throws<ModelLoadException>(() => MedTokenizer.Load(path, 1, 2));
            Assert.Contains("SentencePiece", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
