namespace MiniGptMed.DicomNode.Results;

/// <summary>
/// Writes a set of files into a folder so that no half-written file is ever seen there: every file is written (and
/// flushed to disk) in a temporary folder beside the target, then moved in. When the target does not exist yet, the
/// temporary folder is renamed to it in one step; when it does, each file is renamed into it (each rename is atomic,
/// so a reader sees every file whole or not at all). On any failure the temporary folder is removed and the target
/// is as it was.
/// </summary>
internal static class AtomicOutput
{
    /// <returns>The final path of each file, in the order given.</returns>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<(string FileName, Action<Stream> Write)> files)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(files);
        var target = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(target) ?? throw new IOException($"{directory} has no parent folder to write beside");
        if (File.Exists(target))
        {
            throw new IOException($"{directory} is a file, not a folder");
        }

        var names = files.Select(f => f.FileName).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count || names.Any(n => n.Length == 0 || Path.GetFileName(n) != n))
        {
            throw new ArgumentException("File names must be plain and distinct.", nameof(files));
        }

        Directory.CreateDirectory(parent);
        var temporary = Path.Combine(parent, $".{Path.GetFileName(target)}.partial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            foreach (var (name, write) in files)
            {
                using var stream = new FileStream(Path.Combine(temporary, name), FileMode.CreateNew, FileAccess.Write, FileShare.None);
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            if (!Directory.Exists(target))
            {
                Directory.Move(temporary, target);
            }
            else
            {
                foreach (var name in names)
                {
                    File.Move(Path.Combine(temporary, name), Path.Combine(target, name), overwrite: true);
                }

                Directory.Delete(temporary, recursive: true);
            }

            return names.Select(n => Path.Combine(target, n)).ToList();
        }
        catch
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }

            throw;
        }
    }
}
