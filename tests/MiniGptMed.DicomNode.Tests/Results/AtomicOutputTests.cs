using MiniGptMed.DicomNode.Results;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.Results;

public sealed class AtomicOutputTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void NewFolder_AppearsWithEveryFile()
    {
        var paths = AtomicOutput.Write(_dir["out"], [("a.dcm", s => s.Write([1, 2])), ("b.dcm", s => s.Write([3]))]);

        Assert.Equal([_dir["out/a.dcm"], _dir["out/b.dcm"]], paths);
        Assert.Equal([1, 2], File.ReadAllBytes(_dir["out/a.dcm"]));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void FailureWhileWriting_LeavesNoFolderAndNoTemporaryFiles()
    {
        Assert.Throws<InvalidOperationException>(() => AtomicOutput.Write(_dir["out"],
            [("a.dcm", s => s.Write([1])), ("b.dcm", _ => throw new InvalidOperationException("builder failed"))]));

        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void FailureWhileWriting_IntoAnExistingFolder_LeavesItAsItWas()
    {
        Directory.CreateDirectory(_dir["out"]);
        File.WriteAllBytes(_dir["out/a.dcm"], [9]);

        Assert.Throws<InvalidOperationException>(() => AtomicOutput.Write(_dir["out"],
            [("a.dcm", s => s.Write([1])), ("b.dcm", _ => throw new InvalidOperationException("builder failed"))]));

        Assert.Equal([9], File.ReadAllBytes(_dir["out/a.dcm"]));
        Assert.Equal(["a.dcm"], Directory.GetFiles(_dir["out"]).Select(Path.GetFileName));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void ExistingFolder_GetsTheNewFilesBesideWhatItHeld()
    {
        Directory.CreateDirectory(_dir["out"]);
        File.WriteAllBytes(_dir["out/other.dcm"], [7]);

        AtomicOutput.Write(_dir["out"], [("a.dcm", s => s.Write([1]))]);

        Assert.Equal(["a.dcm", "other.dcm"], Directory.GetFiles(_dir["out"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    public void Dispose() => _dir.Dispose();
}
