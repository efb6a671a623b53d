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
    public void InvalidOptions_NameTheirKeys()
    {
        var ex = Assert.Throws<ModelLoadException>(() => MiniGptMedEngine.Load(TestPaths.SmallModel,
            new InferenceOptions { MaxBatchSize = 0, MinImageSide = 0, IntraOpThreads = -1 }));
        Assert.Contains("Inference:MaxBatchSize 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Inference:MinImageSide", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Inference:IntraOpThreads", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoreRequestsThanMaxBatchSize_AreDecodedInChunks_WithTheSameTokens()
    {
        using var engine = MiniGptMedEngine.Load(TestPaths.SmallModel,
            new InferenceOptions { ExecutionProvider = ExecutionProviderKind.Cpu, IntraOpThreads = 1, MaxBatchSize = 2 });
        var cases = Goldens.SmallModel.Cases.Take(5).ToList();
        var outcomes = await engine.AnalyzeBatchAsync(cases.Select(c => Generation.GeneratorGoldenTests.RequestFor(c, engine)).ToList());
        Assert.Equal(1, engine.LastBatch!.BatchSize); // 2 + 2 + 1
        for (int i = 0; i < cases.Count; i++)
        {
            Assert.Equal(cases[i].GeneratedIds, outcomes[i].GetResultOrThrow().TokenIds);
        }
    }

    [Fact]
    public void MissingDirectory_IsNamed()
    {
        var ex = LoadFails("/nonexistent/model");
        Assert.Contains("/nonexistent/model", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("decoder.onnx", true, "decoder.onnx is missing (manifest.json lists it with")]
    [InlineData("vision.onnx", true, "vision.onnx is missing (manifest.json lists it with")]
    [InlineData("tokenizer.model", true, "tokenizer.model is missing (manifest.json lists it with")]
    [InlineData("manifest.json", true, "manifest not found")]
    [InlineData("decoder.onnx", false, "decoder model file missing")] // an older manifest: each file's loader names it
    [InlineData("vision.onnx", false, "vision model file missing")]
    [InlineData("tokenizer.model", false, "tokenizer model missing")]
    public void MissingFile_IsNamed(string file, bool weightsListed, string expected)
    {
        using var copy = new ModelCopy();
        if (!weightsListed)
        {
            copy.RemoveWeightList();
        }

        File.Delete(copy.PathOf(file));
        var ex = LoadFails(copy.Directory);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedWeightFile_IsRefusedBeforeOnnxRuntimeReadsIt_NamingTheFileAndBothSizes()
    {
        using var copy = new ModelCopy();
        var path = copy.PathOf("decoder.onnx");
        var size = new FileInfo(path).Length;
        using (var f = File.OpenWrite(path))
        {
            f.SetLength(size / 2); // a copy interrupted half-way
        }

        var ex = LoadFails(copy.Directory);
        Assert.Contains($"decoder.onnx is {size / 2} bytes, manifest.json lists {size}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("incomplete or altered", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ONNX Runtime", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShippedModels_ListTheirWeights_AndLoadWithoutWarning()
    {
        foreach (var model in new[] { TestPaths.SmallModel, Path.Combine(TestPaths.RepositoryRoot, "models", "small-fp16"), Path.Combine(TestPaths.RepositoryRoot, "models", "phantom") })
        {
            var logger = new CapturingLogger();
            using var engine = MiniGptMedEngine.Load(model, Cpu, logger);
            Assert.Equal(["decoder.onnx", "embed_tokens.onnx", "tokenizer.model", "vision.onnx"], engine.Manifest.Weights!.Keys.Order(StringComparer.Ordinal));
            Assert.DoesNotContain(logger.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
        }
    }

    [Fact]
    public async Task ManifestWithoutWeightList_StillLoads_WarningThatTheVersionCoversTheManifestOnly()
    {
        using var copy = new ModelCopy();
        copy.RemoveWeightList();
        var logger = new CapturingLogger();
        using var engine = MiniGptMedEngine.Load(copy.Directory, Cpu, logger);
        var warning = Assert.Single(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Contains(copy.PathOf("manifest.json"), warning.Message, StringComparison.Ordinal);
        Assert.Contains("version covers the manifest only", warning.Message, StringComparison.Ordinal);

        var c = Goldens.SmallModel.Cases.First(x => x.Task == "detection");
        Assert.Equal(c.GeneratedIds, (await engine.AnalyzeAsync(Generation.GeneratorGoldenTests.RequestFor(c, engine))).TokenIds);
    }

    [Fact]
    public void WeightListNamingAPath_IsRefused()
    {
        using var copy = new ModelCopy();
        copy.EditManifest(t => t.Replace("\"vision.onnx\": {", "\"../vision.onnx\": {", StringComparison.Ordinal));
        var ex = LoadFails(copy.Directory);
        Assert.Contains("weights: '../vision.onnx' is not a file name of the model folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptOnnxFile_SaysWhichModelOnnxRuntimeRefused()
    {
        // A manifest without the weight list (an older export): the truncation reaches ONNX Runtime, which must be named.
        using var copy = new ModelCopy();
        copy.RemoveWeightList();
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
        copy.EditManifest(t => t.Replace("\"size\": 32,", "\"size\": 448,", StringComparison.Ordinal));
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
    public async Task AutoProvider_EndsOnCudaOrOnCpuWithExactlyOneWarning_AndServes()
    {
        var logger = new CapturingLogger();
        using var engine = MiniGptMedEngine.Load(TestPaths.SmallModel,
            new InferenceOptions { ExecutionProvider = ExecutionProviderKind.Auto, IntraOpThreads = 1 }, logger);
        var warnings = logger.Entries.Where(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).ToList();
        if (engine.Provider == ExecutionProviderKind.Cpu)
        {
            Assert.Contains("falls back to CPU", Assert.Single(warnings).Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(ExecutionProviderKind.Cuda, engine.Provider);
            Assert.Empty(warnings);
        }

        var c = Goldens.SmallModel.Cases.First(x => x.Task == "vqa");
        var result = await engine.AnalyzeAsync(Generation.GeneratorGoldenTests.RequestFor(c, engine));
        Assert.Equal(c.GeneratedIds, result.TokenIds);
    }

    [Fact]
    public void CudaProvider_WhenUnavailable_FailsNamingWhatItNeeds()
    {
        try
        {
            using var engine = MiniGptMedEngine.Load(TestPaths.SmallModel, new InferenceOptions { ExecutionProvider = ExecutionProviderKind.Cuda });
            Assert.Equal(ExecutionProviderKind.Cuda, engine.Provider);
        }
        catch (ModelLoadException ex)
        {
            Assert.Contains("CUDA 13 and cuDNN 9", ex.Message, StringComparison.Ordinal);
        }
    }
}

internal sealed class CapturingLogger : Microsoft.Extensions.Logging.ILogger
{
    public List<(Microsoft.Extensions.Logging.LogLevel Level, string Message)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

    public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
        Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Entries)
        {
            Entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
