namespace MiniGptMed.DicomNode.Reception;

/// <summary>What a file system keeps of a rename across a power cut, as far as the store's recovery is concerned.</summary>
internal enum DurabilityKind
{
    /// <summary>Not known (another or an unreadable file system): nothing is said.</summary>
    Unknown,

    /// <summary>A journal or copy-on-write makes a rename all or nothing (ext4 and ext3 with their journal, XFS, btrfs, ZFS, F2FS).</summary>
    Journalled,

    /// <summary>No journal (ext2, ext4 made or mounted without one, FAT, exFAT): a rename half written is left to fsck.</summary>
    NoJournal,

    /// <summary>In memory (tmpfs, ramfs): nothing survives a restart of the machine.</summary>
    Volatile,
}

/// <summary>
/// Which file system holds the data folder and whether it keeps what the store (<c>FileSystemStoreService</c>)'s crash
/// recovery relies on: the rename out of <c>.incoming</c> happens whole or not at all (its remarks). Read from
/// <c>/proc/self/mountinfo</c> (the mount whose point is the longest prefix of the folder, the last of stacked
/// ones) and, for ext3/ext4, from whether the kernel runs a jbd2 journal for the device (<c>/proc/fs/jbd2/&lt;device&gt;-*</c>).
/// Linux only; elsewhere <see cref="DurabilityKind.Unknown"/>.
/// </summary>
internal static class FileSystemDurability
{
    public readonly record struct Finding(DurabilityKind Kind, string FileSystem, string MountPoint);

    private static readonly HashSet<string> JournalledTypes = new(StringComparer.Ordinal) { "xfs", "btrfs", "zfs", "f2fs", "bcachefs" };
    private static readonly HashSet<string> UnjournalledTypes = new(StringComparer.Ordinal) { "ext2", "vfat", "msdos", "exfat" };
    private static readonly HashSet<string> VolatileTypes = new(StringComparer.Ordinal) { "tmpfs", "ramfs" };

    /// <summary>The finding for <paramref name="directory"/> on this machine.</summary>
    public static Finding Inspect(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new Finding(DurabilityKind.Unknown, "", "");
        }

        try
        {
            return Inspect(Path.GetFullPath(directory), File.ReadAllText("/proc/self/mountinfo"), DeviceName, HasJournal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new Finding(DurabilityKind.Unknown, "", "");
        }
    }

    /// <param name="directory">A full path.</param>
    /// <param name="mountInfo">The text of <c>/proc/self/mountinfo</c> (proc(5)).</param>
    /// <param name="deviceName">The kernel's name of a block device by its <c>major:minor</c> (<c>vda</c>), or null.</param>
    /// <param name="hasJournal">Whether the kernel runs a journal for the device of that name.</param>
    internal static Finding Inspect(string directory, string mountInfo, Func<string, string?> deviceName, Func<string, bool> hasJournal)
    {
        (string Point, string Type, string Device)? best = null;
        foreach (var line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // ID PARENT MAJOR:MINOR ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPEROPTIONS
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (fields.Length < 7 || separator < 6 || separator + 1 >= fields.Length)
            {
                continue;
            }

            var point = Unescape(fields[4]);
            // Equal length replaces: a mount stacked later on the same point hides the earlier one.
            if (Contains(point, directory) && (best is null || point.Length >= best.Value.Point.Length))
            {
                best = (point, fields[separator + 1], fields[2]);
            }
        }

        if (best is not { } mount)
        {
            return new Finding(DurabilityKind.Unknown, "", "");
        }

        var kind = mount.Type switch
        {
            _ when VolatileTypes.Contains(mount.Type) => DurabilityKind.Volatile,
            _ when UnjournalledTypes.Contains(mount.Type) => DurabilityKind.NoJournal,
            _ when JournalledTypes.Contains(mount.Type) => DurabilityKind.Journalled,
            "ext3" or "ext4" => deviceName(mount.Device) is { } name
                ? hasJournal(name) ? DurabilityKind.Journalled : DurabilityKind.NoJournal
                : DurabilityKind.Unknown,
            _ => DurabilityKind.Unknown,
        };
        return new Finding(kind, mount.Type, mount.Point);
    }

    private static bool Contains(string mountPoint, string directory) =>
        mountPoint == "/"
        || directory == mountPoint
        || (directory.StartsWith(mountPoint, StringComparison.Ordinal) && directory[mountPoint.Length] == '/');

    /// <summary>proc(5): space, tab, newline and backslash in a mount point are written as three octal digits after a backslash.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new System.Text.StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                text.Append((char)(((field[i + 1] - '0') * 64) + ((field[i + 2] - '0') * 8) + (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';

    /// <summary><c>/sys/dev/block/MAJOR:MINOR</c> links to the device's folder, named as the kernel names it.</summary>
    private static string? DeviceName(string majorMinor)
    {
        var link = new FileInfo($"/sys/dev/block/{majorMinor}");
        return link.Exists || Directory.Exists(link.FullName) ? Path.GetFileName(link.LinkTarget ?? link.FullName) : null;
    }

    /// <summary>jbd2 lists each journal it runs as <c>/proc/fs/jbd2/&lt;device&gt;-&lt;inode&gt;</c> (the inode is 8 for an internal journal).</summary>
    private static bool HasJournal(string device) =>
        Directory.Exists("/proc/fs/jbd2") && Directory.EnumerateDirectories("/proc/fs/jbd2", device + "-*").Any();
}
