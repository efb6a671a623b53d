using Microsoft.ML.Tokenizers;

namespace MiniGptMed.Inference.Text;

/// <summary>
/// The LLaMA SentencePiece tokenizer (Microsoft.ML.Tokenizers' LlamaTokenizer over tokenizer.model),
/// plus the one behaviour of Hugging Face's slow LlamaTokenizer that MiniGPT-Med's prompts depend on:
/// a literal <c>&lt;s&gt;</c> or <c>&lt;/s&gt;</c> in the text becomes the BOS/EOS id, the text between
/// such literals is encoded chunk by chunk (each chunk gets SentencePiece's dummy prefix), and
/// whitespace next to a literal is dropped.
/// </summary>
public sealed class MedTokenizer
{
    private const string BosText = "<s>";
    private const string EosText = "</s>";
    private readonly LlamaTokenizer _tokenizer;

    private MedTokenizer(LlamaTokenizer tokenizer, int bos, int eos)
    {
        _tokenizer = tokenizer;
        Bos = bos;
        Eos = eos;
    }

    public int Bos { get; }

    public int Eos { get; }

    public static MedTokenizer Load(string path, int bos, int eos)
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"tokenizer model missing: {path}");
        }

        try
        {
            using var stream = File.OpenRead(path);
            var tokenizer = LlamaTokenizer.Create(stream, addBeginOfSentence: false, addEndOfSentence: false);
            if (tokenizer.BeginningOfSentenceId != bos || tokenizer.EndOfSentenceId != eos)
            {
                throw new ModelLoadException(
                    $"tokenizer {path} has BOS {tokenizer.BeginningOfSentenceId} / EOS {tokenizer.EndOfSentenceId}, manifest says {bos} / {eos}");
            }

            return new MedTokenizer(tokenizer, bos, eos);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException or IOException
                                       or Google.Protobuf.InvalidProtocolBufferException)
        {
            throw new ModelLoadException($"tokenizer {path} cannot be read as a LLaMA SentencePiece model: {ex.Message}", ex);
        }
    }

    /// <summary>Plain SentencePiece encoding of one text (dummy prefix, no special-token parsing, no BOS).</summary>
    public IReadOnlyList<int> Encode(string text) =>
        text.Length == 0 ? [] : _tokenizer.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false);

    /// <summary>Encodes one prompt segment the way MiniGPT-Med's get_context_emb does (see the class comment).</summary>
    public List<int> EncodeSegment(string text, bool addBos)
    {
        var ids = new List<int>();
        if (addBos)
        {
            ids.Add(Bos);
        }

        var parts = SplitSpecials(text);
        for (int i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            if (part == BosText)
            {
                ids.Add(Bos);
                continue;
            }

            if (part == EosText)
            {
                ids.Add(Eos);
                continue;
            }

            if (i > 0 && IsSpecial(parts[i - 1]))
            {
                part = part.TrimStart();
            }

            if (i + 1 < parts.Count && IsSpecial(parts[i + 1]))
            {
                part = part.TrimEnd();
            }

            ids.AddRange(Encode(part));
        }

        return ids;
    }

    /// <summary>Text of generated ids; BOS/EOS and other control pieces are dropped.</summary>
    public string Decode(IEnumerable<int> ids) => _tokenizer.Decode(ids, considerSpecialTokens: false) ?? "";

    private static bool IsSpecial(string part) => part is BosText or EosText;

    private static List<string> SplitSpecials(string text)
    {
        var parts = new List<string>();
        int start = 0;
        while (start < text.Length)
        {
            int bos = text.IndexOf(BosText, start, StringComparison.Ordinal);
            int eos = text.IndexOf(EosText, start, StringComparison.Ordinal);
            int next = bos < 0 ? eos : eos < 0 ? bos : Math.Min(bos, eos);
            if (next < 0)
            {
                parts.Add(text[start..]);
                break;
            }

            if (next > start)
            {
                parts.Add(text[start..next]);
            }

            var literal = next == bos ? BosText : EosText;
            parts.Add(literal);
            start = next + literal.Length;
        }

        return parts;
    }
}
