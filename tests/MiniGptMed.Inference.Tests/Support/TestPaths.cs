namespace MiniGptMed.Inference.Tests.Support;

internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string SmallModel => Path.Combine(RepoRoot, "models", "small");

    public static string Goldens => Path.Combine(RepoRoot, "tests", "MiniGptMed.Inference.Tests", "Goldens");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MiniGptMed.DicomNode.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (MiniGptMed.DicomNode.sln) not found above the test binaries");
    }
}

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
