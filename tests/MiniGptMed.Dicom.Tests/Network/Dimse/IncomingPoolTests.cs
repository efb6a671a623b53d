using System.Collections.Concurrent;
using MiniGptMed.Dicom.Network.Dimse;

namespace MiniGptMed.Dicom.Tests.Network.Dimse;

public sealed class IncomingPoolTests
{
    private static readonly string CtSmall = Path.Combine(TestPaths.PydicomTestFiles, "CT_small.dcm");

    [Fact]
    public async Task Pool_StartsFull_AndRefillsWithNewFilesOnceTaken()
    {
        await using var scp = new StorageScp();
        var pool = scp.Store.Pool!;
        Assert.Equal(FileSystemStoreService.PoolSize, pool.Count);
        var refilled = pool.NextBatch;
        var taken = new List<PooledFile>();
        while (pool.TryTake(out var file))
        {
            taken.Add(file);
        }

        await refilled.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(pool.Count > 0);
        Assert.True(pool.TryTake(out var fresh));
        Assert.DoesNotContain(fresh.Path, taken.Select(file => file.Path));
        Assert.True(File.Exists(fresh.Path));
        Assert.Equal(0, new FileInfo(fresh.Path).Length);
        foreach (var file in taken.Append(fresh))
        {
            file.Handle.Dispose();
        }
    }

    [Fact]
    public async Task Pool_TakenConcurrently_HandsOutEachFileOnce()
    {
        await using var scp = new StorageScp();
        var pool = scp.Store.Pool!;
        var taken = new ConcurrentBag<PooledFile>();
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 16; i++)
            {
                if (pool.TryTake(out var file))
                {
                    taken.Add(file);
                }
            }
        });

        Assert.True(taken.Count >= FileSystemStoreService.PoolSize);
        Assert.Equal(taken.Count, taken.Select(file => file.Path).Distinct().Count());
        foreach (var file in taken)
        {
            file.Handle.Dispose();
        }
    }

    [Fact]
    public async Task Store_InFlushMode_WritesIntoAPoolFileAndSealsIt()
    {
        await using var scp = new StorageScp();
        var pooled = Directory.GetFiles(Path.Combine(scp.Root, ".incoming")).ToHashSet();
        var source = Part10Source.Probe(CtSmall);
        Assert.Equal(DimseStatus.Success, Assert.Single(await scp.Client().StoreAsync([source])).Status);

        // The instance took the place of one of the pool's files, whose name was already durable.
        Assert.NotEqual(pooled, Directory.GetFiles(Path.Combine(scp.Root, ".incoming")).ToHashSet());
        Assert.True(InstanceSeal.Verify(scp.Store.PathOf(source.SopInstanceUid)));
        Assert.Equal(Part10Bytes.DataSetBytes(CtSmall), Part10Bytes.DataSetBytes(scp.Store.PathOf(source.SopInstanceUid)));
        Assert.Empty(scp.TempFiles());
    }

    [Fact]
    public async Task Store_WithFlushOff_HasNoPoolAndAnAllZeroPreamble()
    {
        await using var scp = new StorageScp(options => options.FlushToDisk = false);
        Assert.Null(scp.Store.Pool);
        var source = Part10Source.Probe(CtSmall);
        Assert.Equal(DimseStatus.Success, Assert.Single(await scp.Client().StoreAsync([source])).Status);
        var stored = File.ReadAllBytes(scp.Store.PathOf(source.SopInstanceUid));
        Assert.All(stored[..InstanceSeal.PreambleLength], b => Assert.Equal(0, b));
        Assert.Empty(Directory.GetFiles(Path.Combine(scp.Root, ".incoming")));
    }
}
