using MiniGptMed.Dicom.Network.Dimse;

namespace MiniGptMed.Dicom.Tests.Network.Dimse;

public sealed class IncomingRecoveryTests : IDisposable
{
    private static readonly string CtSmall = Path.Combine(TestPaths.PydicomTestFiles, "CT_small.dcm");
    private readonly string _root = Directory.CreateTempSubdirectory("minigptmed-recovery-").FullName;

    [Fact]
    public async Task Start_AfterACrash_MovesSealedInstancesIntoPlaceRemovesPartialOnesAndReusesEmptyOnes()
    {
        // A sealed instance as the store writes it just before Success: stored once, then copied back into .incoming
        // as if its rename had been lost.
        var source = Part10Source.Probe(CtSmall);
        byte[] sealedBytes;
        await using (var scp = new StorageScp())
        {
            Assert.Equal(DimseStatus.Success, Assert.Single(await scp.Client().StoreAsync([source])).Status);
            sealedBytes = File.ReadAllBytes(scp.Store.PathOf(source.SopInstanceUid));
        }

        var incoming = Directory.CreateDirectory(Path.Combine(_root, ".incoming")).FullName;
        File.WriteAllBytes(Path.Combine(incoming, "complete.part"), sealedBytes);
        File.WriteAllBytes(Path.Combine(incoming, "truncated.part"), sealedBytes[..(sealedBytes.Length / 2)]);
        // Parses to the end, but nothing proves it is the whole instance: a file cut at an element boundary parses too.
        File.Copy(CtSmall, Path.Combine(incoming, "unsealed.part"));
        File.WriteAllBytes(Path.Combine(incoming, "empty.part"), []);

        using var store = new FileSystemStoreService(new FileSystemStoreOptions { RootDirectory = _root, MinimumFreeBytes = 0 });

        Assert.Equal(sealedBytes, File.ReadAllBytes(store.PathOf(source.SopInstanceUid)));
        Assert.Equal([store.PathOf(source.SopInstanceUid)], Directory.GetFiles(_root, "*.dcm", SearchOption.AllDirectories));
        var left = Directory.GetFiles(incoming);
        Assert.DoesNotContain(Path.Combine(incoming, "complete.part"), left);
        Assert.DoesNotContain(Path.Combine(incoming, "truncated.part"), left);
        Assert.DoesNotContain(Path.Combine(incoming, "unsealed.part"), left);
        Assert.Contains(Path.Combine(incoming, "empty.part"), left);
        Assert.Equal(FileSystemStoreService.PoolSize, left.Length);
        Assert.All(left, path => Assert.Equal(0, new FileInfo(path).Length));
    }

    [Fact]
    public void Seal_OfAFileWithOneByteChanged_DoesNotVerify()
    {
        var path = Path.Combine(_root, "a.part");
        byte[] body = [.. Enumerable.Range(0, 1000).Select(i => (byte)i)];
        using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
        {
            var seal = new InstanceSeal();
            RandomAccess.Write(file, body, InstanceSeal.PreambleLength);
            seal.Append(body);
            seal.WriteTo(file, InstanceSeal.PreambleLength + body.Length);
        }

        Assert.True(InstanceSeal.Verify(path));
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 1;
        File.WriteAllBytes(path, bytes);
        Assert.False(InstanceSeal.Verify(path));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
