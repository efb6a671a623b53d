using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>
/// The two POSIX durability calls .NET does not offer: starting write-back of a file range early, and flushing a
/// directory so that a rename in it survives a power cut. Elsewhere than Linux both do nothing (FileStream's own
/// flush is then all there is).
/// </summary>
internal static partial class DurableFileSystem
{
    // linux/fs.h: SYNC_FILE_RANGE_WRITE starts write-out of dirty pages in the range and does not wait.
    private const uint SyncFileRangeWrite = 2;
    private const int OpenReadOnly = 0;
    private const int OpenDirectory = 0x10000; // O_DIRECTORY on x86-64 and arm64
    private const int OpenCloseOnExec = 0x80000;

    /// <summary>
    /// Asks the kernel to start writing <paramref name="length"/> bytes at <paramref name="offset"/> to disk now, so
    /// the fsync before Success finds most of the file already written. A hint: failures are ignored, the fsync
    /// still decides.
    /// </summary>
    public static void StartWriteBack(SafeFileHandle file, long offset, long length)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = SyncFileRange(file, offset, length, SyncFileRangeWrite);
        }
    }

    /// <summary>
    /// fsync(2) of a directory: a rename is durable only once the directory entry is on disk (POSIX leaves the
    /// file's own fsync silent about the names pointing at it).
    /// </summary>
    /// <exception cref="IOException">The directory could not be opened or flushed.</exception>
    public static void FlushDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(path, OpenReadOnly | OpenDirectory | OpenCloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory {path} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"fsync of directory {path} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long nbytes, uint flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
