using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.Dicom.Tests.Network.Admission;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Network.Dimse;

/// <summary>
/// A real full disk: the data folder is a 30 MB tmpfs (mounted by the test; the tests run as root) and the free-space
/// floor is 0, so the file system itself says ENOSPC, at whatever byte of whatever instance it happens.
/// </summary>
public sealed class TmpfsDiskFullTests
{
    [Fact]
    public async Task CtSeriesIntoA30MbTmpfs_SuccessThenA700_NeverAnAbort_StoresAgainWhenFreed_AndARestartOnAFullDiskAnswersA700()
    {
        using var series = await CtSeries.MakeAsync(80, 512); // about 42 MB of 525 KB slices
        var files = Directory.GetFiles(series.Path).Order(StringComparer.Ordinal).Select(Part10Source.Probe).ToList();
        using var mount = await Tmpfs.MountAsync("30m");
        var root = Path.Combine(mount.Path, "data");

        List<StoreOutcome> first;
        await using (var scp = new StorageScp(root: root))
        {
            // One association, the whole series: it fills the disk on the way and must not be aborted.
            first = [.. await scp.Client().StoreAsync(files)];
            var statuses = first.Select(o => o.Status).ToList();
            Assert.All(statuses, s => Assert.NotNull(s));
            var firstRefusal = statuses.IndexOf((ushort?)DimseStatus.OutOfResources);
            Assert.True(firstRefusal > 0, $"statuses: {string.Join(" ", statuses.Select(s => $"{s:X4}"))}");
            Assert.All(statuses.Take(firstRefusal), s => Assert.Equal(DimseStatus.Success, s));
            Assert.All(statuses.Skip(firstRefusal), s => Assert.Equal(DimseStatus.OutOfResources, s));
            Assert.Equal(firstRefusal, scp.StoredFiles().Length);
            Assert.Empty(scp.TempFiles());
            foreach (var stored in scp.StoredFiles())
            {
                Assert.True(InstanceSeal.Verify(stored), stored);
            }

            // One Warning and (later) one summary for the burst, no stack traces.
            Assert.Single(scp.Logs.Warnings, l => l.EventId == 1102);
            Assert.All(scp.Logs.Warnings, l => Assert.Null(l.Exception));

            // Space freed: the next association stores what was refused.
            foreach (var stored in scp.StoredFiles().Take(10))
            {
                File.Delete(stored);
            }

            var retry = files.Skip(firstRefusal).Take(5).ToList();
            var again = await scp.Client().StoreAsync(retry);
            Assert.All(again, o => Assert.Equal(DimseStatus.Success, o.Status));
        }

        // Fill what is left, then start again on the full disk: the node starts and answers A700.
        var filler = Path.Combine(mount.Path, "filler");
        await FillAsync(filler);
        await using (var scp = new StorageScp(root: root))
        {
            var outcome = Assert.Single(await scp.Client().StoreAsync([files[^1]]));
            Assert.Equal(DimseStatus.OutOfResources, outcome.Status);
            Assert.Empty(scp.TempFiles());
        }
    }

    private static async Task FillAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        var block = new byte[1 << 16];
        try
        {
            while (true)
            {
                await stream.WriteAsync(block);
                await stream.FlushAsync();
            }
        }
        catch (IOException)
        {
            // ENOSPC: full.
        }
    }

    /// <summary>A tmpfs of a given size on a fresh folder, unmounted when disposed.</summary>
    private sealed class Tmpfs : IDisposable
    {
        private Tmpfs(string path) => Path = path;

        public string Path { get; }

        public static async Task<Tmpfs> MountAsync(string size)
        {
            var path = Directory.CreateTempSubdirectory("minigptmed-tmpfs-").FullName;
            await ExternalProcess.RunCheckedAsync("mount", ["-t", "tmpfs", "-o", $"size={size}", "tmpfs", path], TimeSpan.FromSeconds(20));
            return new Tmpfs(path);
        }

        public void Dispose()
        {
            ExternalProcess.RunCheckedAsync("umount", [Path], TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
            Directory.Delete(Path);
        }
    }
}
