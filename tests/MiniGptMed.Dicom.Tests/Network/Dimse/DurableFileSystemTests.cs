using MiniGptMed.Dicom.Network.Dimse;

namespace MiniGptMed.Dicom.Tests.Network.Dimse;

public sealed class DurableFileSystemTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("minigptmed-durable-").FullName;

    [Fact]
    public void FlushDirectory_OfAnExistingDirectory_Succeeds()
    {
        File.WriteAllBytes(Path.Combine(_root, "a.part"), [1, 2, 3]);
        File.Move(Path.Combine(_root, "a.part"), Path.Combine(_root, "a.dcm"));
        DurableFileSystem.FlushDirectory(_root);
        Assert.True(File.Exists(Path.Combine(_root, "a.dcm")));
    }

    [Fact]
    public void FlushDirectory_OfAMissingDirectory_ThrowsIOExceptionNamingIt()
    {
        var missing = Path.Combine(_root, "gone");
        var ex = Assert.Throws<IOException>(() => DurableFileSystem.FlushDirectory(missing));
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StartWriteBack_ThenFlush_KeepsTheBytes()
    {
        var path = Path.Combine(_root, "b.part");
        byte[] data = [.. Enumerable.Range(0, 3 << 20).Select(i => (byte)i)];
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
        {
            RandomAccess.Write(handle, data, 0);
            DurableFileSystem.StartWriteBack(handle, 0, data.Length);
            RandomAccess.FlushToDisk(handle);
        }

        Assert.Equal(data, File.ReadAllBytes(path));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
