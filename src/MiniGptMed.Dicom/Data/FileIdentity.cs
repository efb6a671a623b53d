using Microsoft.Win32.SafeHandles;

namespace MiniGptMed.Dicom.Data;

/// <summary>
/// Which file a path named when it was parsed: its length and last write time (100 ns ticks; Linux keeps
/// nanoseconds). A file renamed over that path (an instance received again) is written later, so at least its time
/// differs, and a value read lazily from it (<see cref="FileBuffer"/>) would be another file's bytes.
/// </summary>
public sealed record FileIdentity(string Path, long Length, DateTime LastWriteTimeUtc)
{
    public static FileIdentity Of(string path, SafeFileHandle handle) =>
        new(path, RandomAccess.GetLength(handle), File.GetLastWriteTimeUtc(handle));

    /// <summary>True when <paramref name="handle"/>, opened by path now, is still the parsed file.</summary>
    public bool Matches(SafeFileHandle handle) =>
        RandomAccess.GetLength(handle) == Length && File.GetLastWriteTimeUtc(handle) == LastWriteTimeUtc;
}

/// <summary>The file a value was to be read from lazily has been replaced (or changed) since it was parsed: open it again.</summary>
public sealed class FileReplacedException(string path)
    : IOException($"'{path}' was replaced or changed after it was read; its large values are not read from the new file. Open it again.")
{
    public string FilePath { get; } = path;
}
