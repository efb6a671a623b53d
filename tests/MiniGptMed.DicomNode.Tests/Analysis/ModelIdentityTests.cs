using MiniGptMed.DicomNode.Analysis;

namespace MiniGptMed.DicomNode.Tests.Analysis;

/// <summary>
/// The model's version is the manifest's hash, and the manifest lists every weight file's SHA-256 and size, so a model
/// retrained to the same shape gets another version (and so other result UIDs: <c>ResultUidsTests</c>).
/// </summary>
public sealed class ModelIdentityTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task RetrainedCopy_OneWeightByteChangedAndManifestRehashed_GetsAnotherVersion()
    {
        var copy = CopyOfSmallModel();
        var shipped = ModelIdentity.FromDirectory(TestPaths.SmallModel);
        Assert.Equal(shipped, ModelIdentity.FromDirectory(copy)); // a copy is the same model

        // "Retraining" that keeps every shape and size: one byte of the decoder's weights differs.
        var decoder = Path.Combine(copy, "decoder.onnx");
        var bytes = await File.ReadAllBytesAsync(decoder);
        bytes[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(decoder, bytes);
        Assert.Equal(1, (await ManifestScriptAsync("--check", copy)).ExitCode); // the listed SHA-256 no longer fits

        var rehashed = await ManifestScriptAsync(copy);
        Assert.True(rehashed.ExitCode == 0, rehashed.Output);
        Assert.Equal(0, (await ManifestScriptAsync("--check", copy)).ExitCode);
        var retrained = ModelIdentity.FromDirectory(copy);
        Assert.Equal(shipped.Name, retrained.Name);
        Assert.NotEqual(shipped.Version, retrained.Version);
    }

    [Fact]
    public async Task ManifestScript_OnTheShippedModels_ChangesNothing()
    {
        foreach (var model in new[] { "small", "small-fp16", "phantom" })
        {
            var check = await ManifestScriptAsync("--check", Path.Combine(TestPaths.RepositoryRoot, "models", model));
            Assert.True(check.ExitCode == 0, $"models/{model}: {check.Output}");
        }
    }

    private string CopyOfSmallModel()
    {
        var copy = Directory.CreateDirectory(_dir["model"]).FullName;
        foreach (var file in Directory.GetFiles(TestPaths.SmallModel))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    private static Task<ExternalProcess.Result> ManifestScriptAsync(params string[] arguments) =>
        ExternalProcess.RunAsync(TestPaths.Python, [TestPaths.Tool("model_manifest.py"), .. arguments]);

    public void Dispose() => _dir.Dispose();
}
