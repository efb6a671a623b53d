using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.Validation;

/// <summary>
/// CI does not retrain models/phantom; this checks that tools/make_phantom_model.py still runs: a few steps on a tiny
/// pool, the export through tools/export_minigptmed.py, and a model directory the engine's manifest check accepts, its
/// manifest listing the weights.
/// </summary>
public sealed class PhantomModelScriptTests
{
    [Fact]
    public async Task MakePhantomModel_AFewSteps_ExportsALoadableModel()
    {
        using var folder = new TempDirectory();
        var result = await ExternalProcess.RunAsync(TestPaths.Python,
            [Path.Combine(TestPaths.RepositoryRoot, "tools", "make_phantom_model.py"), "--steps", "3", "--pool", "32", "--heldout", "4", "--batch", "8",
             "--check-every", "0", "--out", folder["model"]], timeout: TimeSpan.FromMinutes(8));
        Assert.True(result.ExitCode == 0, result.Output);
        foreach (var file in new[] { "vision.onnx", "embed_tokens.onnx", "decoder.onnx", "tokenizer.model", "manifest.json", "README.md" })
        {
            Assert.True(File.Exists(Path.Combine(folder["model"], file)), file);
        }

        using var engine = MiniGptMed.Inference.MiniGptMedEngine.Load(folder["model"], new MiniGptMed.Inference.Runtime.InferenceOptions
        {
            ExecutionProvider = MiniGptMed.Inference.Runtime.ExecutionProviderKind.Cpu,
        });
        Assert.Equal("minigptmed-phantom", engine.Manifest.Name);
        // The export lists every file with its size and SHA-256 (models/README.md "weights"), so the version covers them.
        Assert.Equal(["decoder.onnx", "embed_tokens.onnx", "tokenizer.model", "vision.onnx"], engine.Manifest.Weights!.Keys.Order(StringComparer.Ordinal));
    }
}
