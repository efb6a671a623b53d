namespace MiniGptMed.DicomNode.Tests.Support;

/// <summary>Where the repository and its bundled small model are.</summary>
internal static class Repository
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MiniGptMed.DicomNode.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    });

    public static string Root => RootPath.Value;

    public static string SmallModel => Path.Combine(Root, "models", "small");

    /// <summary>Debian's python3 with python3-pydicom and python3-numpy.</summary>
    public const string Python = "/usr/bin/python3";
}

/// <summary>A fresh folder under the system temp folder, removed when disposed.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("minigptmed-results-").FullName;

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open by a child process is left for the OS.
        }
    }
}
