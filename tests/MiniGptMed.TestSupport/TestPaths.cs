namespace MiniGptMed.TestSupport;

/// <summary>Where the repository, its tools and model, and the system's reference data (pydicom's corpus) live.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MiniGptMed.DicomNode.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (MiniGptMed.DicomNode.sln) above " + AppContext.BaseDirectory);
    });

    public static string RepositoryRoot => Root.Value;

    public static string Tool(string name) => Path.Combine(RepositoryRoot, "tools", name);

    /// <summary>The small model bundled in the repository (models/small), what tests run on CPU.</summary>
    public static string SmallModel => Path.Combine(RepositoryRoot, "models", "small");

    /// <summary>Debian's python3 with python3-pydicom and python3-numpy (not a pyenv shim on PATH).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>pydicom's test corpus, as Debian's python3-pydicom package installs it.</summary>
    public const string PydicomData = "/usr/lib/python3/dist-packages/pydicom/data";

    public static string PydicomTestFiles => Path.Combine(PydicomData, "test_files");

    public static string PydicomCharsetFiles => Path.Combine(PydicomData, "charset_files");

    /// <summary>One file of pydicom's test_files folder (CT_small.dcm, MR_small.dcm, ...).</summary>
    public static string PydicomTestFile(string name) => Path.Combine(PydicomTestFiles, name);

    /// <summary>Every DICOM file of the corpus (the .dcm files of both folders).</summary>
    public static IEnumerable<string> CorpusFiles() =>
        new[] { PydicomTestFiles, PydicomCharsetFiles }
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.dcm"))
            .Order(StringComparer.Ordinal);

    /// <summary>A fresh directory under the system temp folder, removed when disposed.</summary>
    public static TempDirectory CreateTempDirectory() => new();
}
