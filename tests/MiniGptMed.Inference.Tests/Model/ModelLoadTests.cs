using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Runtime;
using MiniGptMed.Inference.Tests.Support;

namespace MiniGptMed.Inference.Tests.Model;

public sealed class ModelLoadTests
{
    private static readonly InferenceOptions Cpu = new() { ExecutionProvider = ExecutionProviderKind.Cpu, IntraOpThreads = 1 };

    private static ModelLoadException LoadFails(string dir) =>
        Assert.Throws<ModelLoadException>(() => MiniGptMedEngine.Load(dir, Cpu).Dispose());

    [Fact]
    public void MissingDirectory_IsNamed()
    {
        var ex = LoadFails("/nonexistent/model");
        Assert.Contains("/nonexistent/model", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("decoder.onnx", "decoder model file missing")]
    [InlineData("vision.onnx", "vision model file missing")]
    [InlineData("tokenizer.model", "tokenizer model missing")]
    [InlineData("manifest.json", "manifest not found")]
    public void MissingFile_IsNamed(string file, string expected)
    {
        using var copy = new ModelCopy();
        File.Delete(copy.PathOf(file));
        var ex = LoadFails(copy.Directory);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptOnnxFile_SaysWhichModelOnnxRuntimeRefused()
    {
        using var copy = new ModelCopy();
        var bytes = File.ReadAllBytes(copy.PathOf("embed_tokens.onnx"));
        File.WriteAllBytes(copy.PathOf("embed_tokens.onnx"), bytes.AsSpan(0, bytes.Length / 3).ToArray());
        var ex = LoadFails(copy.Directory);
        Assert.Contains("embed_tokens model", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be loaded by ONNX Runtime", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HiddenSizeMismatch_NamesEveryTensorThatDisagrees()
    {
        using var copy = new ModelCopy();
        copy.EditManifest(t => t.Replace("\"hidden_size\": 128", "\"hidden_size\": 4096", StringComparison.Ordinal));
        var ex = LoadFails(copy.Directory);
        Assert.Contains("vision.onnx 'image_embeds'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("dimension 2: 128 != 4096", ex.Message, StringComparison.Ordinal);
        Assert.Contains("decoder.onnx 'inputs_embeds'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LayerCountMismatch_IsNamed()
    {
        using var copy = new ModelCopy();
        copy.EditManifest(t => t.Replace("\"layers\": 4", "\"layers\": 32", StringComparison.Ordinal));
        var ex = LoadFails(copy.Directory);
        Assert.Contains("has no 'past_key_values.4.key'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("8 past_key_values inputs, manifest decoder.layers=32 needs 64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DtypeMismatch_IsNamed()
    {
        using var copy = new ModelCopy();
        copy.EditManifest(t => t.Replace("\"dtype\": \"float32\"", "\"dtype\": \"float16\"", StringComparison.Ordinal));
        var ex = LoadFails(copy.Directory);
        Assert.Contains("'pixel_values' is Float, expected Float16", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImageSizeMismatch_IsNamed()
    {
        using var copy = new ModelCopy();
        copy.EditManifest(t => t.Replace("\"size\": 32", "\"size\": 448", StringComparison.Ordinal));
        var ex = LoadFails(copy.Directory);
        Assert.Contains("'pixel_values' is [?,3,32,32], expected [?,3,448,448]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImageTokenCountMismatch_IsFoundAtLoadNotAtTheFirstRequest()
    {
        using var copy = new ModelCopy();
        copy.EditManifest(t => t.Replace("\"tokens\": 16", "\"tokens\": 256", StringComparison.Ordinal));
        var ex = LoadFails(copy.Directory);
        Assert.Contains("'image_embeds'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("image.tokens=256", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidManifest_ListsEveryProblem()
    {
        using var copy = new ModelCopy();
        copy.EditManifest(t => t.Replace("<ImageHere></Img>", "</Img>", StringComparison.Ordinal)
            .Replace("\"eos\": 2", "\"eos\": 99999", StringComparison.Ordinal)
            .Replace("\"grounding\"", "\"grounding-typo\"", StringComparison.Ordinal));
        var ex = LoadFails(copy.Directory);
        Assert.Contains("exactly once", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tokens.eos 99999", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tasks.grounding is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManifestNotJson_IsNamed()
    {
        using var copy = new ModelCopy();
        File.WriteAllText(copy.PathOf("manifest.json"), "{ not json");
        var ex = LoadFails(copy.Directory);
        Assert.Contains("manifest.json is not valid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AutoProvider_WithoutCuda_FallsBackToCpuAndServes()
    {
        // This machine has no GPU: Auto must end on CPU (with one warning), not fail.
        using var engine = MiniGptMedEngine.Load(TestPaths.SmallModel, new InferenceOptions { ExecutionProvider = ExecutionProviderKind.Auto, IntraOpThreads = 1 });
        Assert.Equal(ExecutionProviderKind.Cpu, engine.Provider);
    }
}
