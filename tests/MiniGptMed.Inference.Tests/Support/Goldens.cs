using System.Text.Json;
using System.Text.Json.Serialization;
using MiniGptMed.Inference.Imaging;

namespace MiniGptMed.Inference.Tests.Support;

/// <summary>What tools/make_small_model.py computed with PyTorch, python sentencepiece and PIL.</summary>
internal static class Goldens
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static SmallModelGolden SmallModel { get; } = Read<SmallModelGolden>("small_model.json");

    public static TokenizerGolden Tokenizer { get; } = Read<TokenizerGolden>("tokenizer.json");

    private static T Read<T>(string name) =>
        JsonSerializer.Deserialize<T>(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "tests", "MiniGptMed.Inference.Tests", "Goldens", name)), Options)
        ?? throw new InvalidOperationException($"golden {name} is empty");
}

internal sealed record TokenizerGolden(List<TokenizerCase> Cases);

internal sealed record TokenizerCase(string Text, int[] Ids, string Decoded);

internal sealed record SmallModelGolden(List<GoldenImage> Images, GoldenPreprocess Preprocess, List<GoldenCase> Cases);

internal sealed record GoldenImage(int Width, int Height, string Rgb, int[]? Box)
{
    public RgbImage ToImage() => new(Width, Height, Convert.FromBase64String(Rgb));
}

internal sealed record GoldenPreprocess(int Width, int Height, string Rgb, float[] PixelValues);

internal sealed record GoldenCase(
    string Task,
    int Image,
    string Instruction,
    int[]? Box,
    [property: JsonPropertyName("segment_ids")] int[][] SegmentIds,
    [property: JsonPropertyName("generated_ids")] int[] GeneratedIds,
    string Text,
    Dictionary<string, float[]>? Logits);
