namespace MiniGptMed.Inference.Tests.Support;

/// <summary>A scratch copy of the small model that a test may break.</summary>
internal sealed class ModelCopy : IDisposable
{
    public ModelCopy()
    {
        Directory = Path.Combine(Path.GetTempPath(), "minigptmed-model-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var file in System.IO.Directory.GetFiles(TestPaths.SmallModel))
        {
            File.Copy(file, Path.Combine(Directory, Path.GetFileName(file)));
        }
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public void EditManifest(Func<string, string> edit)
    {
        var path = PathOf("manifest.json");
        var text = File.ReadAllText(path);
        var edited = edit(text);
        if (edited == text)
        {
            throw new InvalidOperationException("manifest edit changed nothing");
        }

        File.WriteAllText(path, edited);
    }

    /// <summary>Makes the manifest one an export older than its <c>weights</c> field would have written.</summary>
    public void RemoveWeightList()
    {
        var path = PathOf("manifest.json");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        if (!manifest.Remove("weights"))
        {
            throw new InvalidOperationException("the manifest has no weights field");
        }

        File.WriteAllText(path, manifest.ToJsonString());
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
