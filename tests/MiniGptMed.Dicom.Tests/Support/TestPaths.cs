namespace MiniGptMed.Dicom.Tests.Support;

/// <summary>Where the repository, its tools and the system's reference data live.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MiniGptMed.DicomNode.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory);
    });

    public static string RepositoryRoot => Root.Value;

    public static string Tool(string name) => Path.Combine(RepositoryRoot, "tools", name);

    /// <summary>Debian's python3 with python3-pydicom and python3-numpy (not a pyenv shim on PATH).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>pydicom's test corpus, as Debian's python3-pydicom package installs it.</summary>
    public const string PydicomData = "/usr/lib/python3/dist-packages/pydicom/data";

    public static string PydicomTestFiles => Path.Combine(PydicomData, "test_files");

    public static string PydicomCharsetFiles => Path.Combine(PydicomData, "charset_files");

    /// <summary>Every DICOM file of the corpus (the .dcm files of both folders).</summary>
    public static IEnumerable<string> CorpusFiles() =>
        new[] { PydicomTestFiles, PydicomCharsetFiles }
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.dcm"))
            .Order(StringComparer.Ordinal);

    /// <summary>A fresh directory under the system temp folder, removed when disposed.</summary>
    public static TempDirectory CreateTempDirectory() => new();
}

public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "minigptmed-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open by a child process is left for the OS to clean.
        }
    }
}
