using System.Text.Json;
using MiniGptMed.DicomNode.Cli;
using SkiaSharp;

namespace MiniGptMed.DicomNode.Tests.Cli;

public sealed class AnalyzeCommandTests : IDisposable
{
    private static readonly string Root = FindRoot();
    private readonly string _dir = Directory.CreateTempSubdirectory("minigptmed-analyze-").FullName;

    [Fact]
    public async Task Analyze_Png_Json_GivesTheModelsAnswerAndBoxesInPixels()
    {
        var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "tests", "MiniGptMed.Inference.Tests", "Goldens", "small_model.json"))).RootElement;
        var detection = golden.GetProperty("cases").EnumerateArray().First(c => c.GetProperty("task").GetString() == "detection" && c.GetProperty("image").GetInt32() == 0);
        var png = WritePng(golden.GetProperty("images")[0]);

        var (code, stdout, stderr) = await Run(png, "--task", "detection", "--prompt", "nodule", "--json", "--provider", "cpu",
            "--model", Path.Combine(Root, "models", "small"));

        Assert.True(code == 0, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(detection.GetProperty("text").GetString(), json.GetProperty("raw").GetString());
        var box = json.GetProperty("findings")[0].GetProperty("boxes")[0];
        var model = box.GetProperty("model").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var pixels = box.GetProperty("pixels").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(Math.Round(model[i] / 100.0 * 32, 1), pixels[i], 6);
        }

        Assert.True(json.GetProperty("timings").GetProperty("tokens_out").GetInt32() > 0);
    }

    [Fact]
    public async Task Analyze_NotAnImage_ExitsWithOneAndSaysSo()
    {
        var path = Path.Combine(_dir, "junk.png");
        await File.WriteAllTextAsync(path, "not an image");
        var (code, _, stderr) = await Run(path, "--task", "report", "--model", Path.Combine(Root, "models", "small"));
        Assert.Equal(1, code);
        Assert.Contains("not a PNG or JPEG", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_IdentifyWithoutBox_IsAUsageError()
    {
        var (code, stdout, stderr) = await Run("x.png", "--task", "identify");
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("--task identify needs --box x1,y1,x2,y2.", stderr, StringComparison.Ordinal);
        Assert.Contains("usage: minigptmed analyze INPUT", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_MissingModel_ExitsWithOneNamingTheDirectory()
    {
        var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "tests", "MiniGptMed.Inference.Tests", "Goldens", "small_model.json"))).RootElement;
        var png = WritePng(golden.GetProperty("images")[0]);
        var (code, _, stderr) = await Run(png, "--task", "report", "--model", Path.Combine(_dir, "no-model"));
        Assert.Equal(1, code);
        Assert.Contains("no-model", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(["analyze", .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string WritePng(JsonElement image)
    {
        int w = image.GetProperty("width").GetInt32(), h = image.GetProperty("height").GetInt32();
        var rgb = Convert.FromBase64String(image.GetProperty("rgb").GetString()!);
        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int i = ((y * w) + x) * 3;
                bitmap.SetPixel(x, y, new SKColor(rgb[i], rgb[i + 1], rgb[i + 2]));
            }
        }

        var path = Path.Combine(_dir, "image.png");
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MiniGptMed.DicomNode.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
