using MiniGptMed.DicomNode.Reception;

namespace MiniGptMed.DicomNode.Tests.Reception;

/// <summary>
/// Which file system holds the data folder, read from mountinfo lines as the kernel writes them (proc(5)), and whether
/// it keeps a rename whole across a power cut: what the node warns about at start.
/// </summary>
public sealed class FileSystemDurabilityTests
{
    private const string MountInfo = """
        22 27 0:21 / /proc rw,relatime - proc proc rw
        25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24684084k
        27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard
        40 27 8:17 / /srv/pacs rw,relatime shared:5 - ext4 /dev/sdb1 rw
        41 27 8:33 / /srv/xfs rw,relatime - xfs /dev/sdc1 rw,attr2
        42 27 0:44 / /srv/pacs\040archive rw,relatime - ext2 /dev/sdd1 rw
        43 27 0:45 / /srv/nfs rw,relatime - nfs4 server:/export rw
        44 27 0:46 / /srv/xfs rw,relatime - tmpfs tmpfs rw
        """;

    private static readonly Dictionary<string, string> Devices = new() { ["254:0"] = "vda", ["8:17"] = "sdb1", ["8:33"] = "sdc1" };

    private static FileSystemDurability.Finding Inspect(string directory, params string[] journalled) =>
        FileSystemDurability.Inspect(directory, MountInfo.Replace("\r", "", StringComparison.Ordinal), d => Devices.GetValueOrDefault(d), journalled.Contains);

    [Fact]
    public void Ext4_IsJournalledOnlyWhenTheKernelRunsAJournalForItsDevice()
    {
        Assert.Equal(new FileSystemDurability.Finding(DurabilityKind.NoJournal, "ext4", "/"), Inspect("/var/lib/minigptmed"));
        Assert.Equal(DurabilityKind.Journalled, Inspect("/var/lib/minigptmed", "vda").Kind);
        Assert.Equal(new FileSystemDurability.Finding(DurabilityKind.Journalled, "ext4", "/srv/pacs"), Inspect("/srv/pacs/data", "sdb1"));
        Assert.Equal(DurabilityKind.NoJournal, Inspect("/srv/pacs/data", "vda").Kind);
    }

    [Fact]
    public void TheMountIsTheLongestWholeComponentPrefix_AndTheLastOfThoseStackedOnOnePoint()
    {
        // /srv/pacsdata is not under /srv/pacs: it is on the root file system.
        Assert.Equal("/", Inspect("/srv/pacsdata").MountPoint);
        Assert.Equal("/srv/pacs", Inspect("/srv/pacs").MountPoint);
        // A tmpfs mounted over the XFS one hides it.
        Assert.Equal(new FileSystemDurability.Finding(DurabilityKind.Volatile, "tmpfs", "/srv/xfs"), Inspect("/srv/xfs/node"));
    }

    [Fact]
    public void OtherFileSystems_AreNamedForWhatTheyKeep_AndUnknownOnesSayNothing()
    {
        Assert.Equal(new FileSystemDurability.Finding(DurabilityKind.Volatile, "tmpfs", "/dev/shm"), Inspect("/dev/shm/node"));
        // The kernel writes a space in a mount point as \040.
        Assert.Equal(new FileSystemDurability.Finding(DurabilityKind.NoJournal, "ext2", "/srv/pacs archive"), Inspect("/srv/pacs archive/node"));
        Assert.Equal(DurabilityKind.Unknown, Inspect("/srv/nfs/node").Kind);
        Assert.Equal(DurabilityKind.Unknown, FileSystemDurability.Inspect("/data", "", _ => null, _ => false).Kind);
    }

    [Fact]
    public void AnExt4WhoseDeviceCannotBeNamed_IsUnknown_NotAccusedOfHavingNoJournal()
    {
        var finding = FileSystemDurability.Inspect("/", "27 1 254:9 / / rw - ext4 /dev/vdz rw", _ => null, _ => false);
        Assert.Equal(DurabilityKind.Unknown, finding.Kind);
    }

    [Fact]
    public void OnThisMachine_DevShmIsInMemory()
    {
        Assert.Equal(DurabilityKind.Volatile, FileSystemDurability.Inspect("/dev/shm").Kind);
    }
}
