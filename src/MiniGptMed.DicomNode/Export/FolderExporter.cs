namespace MiniGptMed.DicomNode.Export;

/// <summary>
/// Copies a result set into a folder destination's <c>results/&lt;study&gt;/</c> so that no reader there sees half a
/// file: the copies are written and flushed in a dot-named temporary folder beside the target, then moved in (one
/// rename of the folder when the target is new, one rename per file when it exists: each rename is atomic).
/// </summary>
internal static class FolderExporter
{
    /// <returns>How many files the target holds from this result set (0 copied when the target is the source itself).</returns>
    public static int Copy(IReadOnlyList<string> files, string target)
    {
        target = Path.GetFullPath(target);
        if (files.All(f => string.Equals(Path.GetDirectoryName(Path.GetFullPath(f)), target, StringComparison.Ordinal)))
        {
            // The default destination is the data folder itself: the analysis already wrote the results there.
            return files.Count;
        }

        var parent = Path.GetDirectoryName(target) ?? throw new IOException($"{target} has no parent folder");
        Directory.CreateDirectory(parent);
        var temporary = Path.Combine(parent, $".{Path.GetFileName(target)}.partial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            foreach (var file in files)
            {
                using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
                using var copy = new FileStream(Path.Combine(temporary, Path.GetFileName(file)), FileMode.CreateNew, FileAccess.Write, FileShare.None);
                source.CopyTo(copy);
                copy.Flush(flushToDisk: true);
            }

            if (!Directory.Exists(target))
            {
                Directory.Move(temporary, target);
            }
            else
            {
                foreach (var file in files)
                {
                    File.Move(Path.Combine(temporary, Path.GetFileName(file)), Path.Combine(target, Path.GetFileName(file)), overwrite: true);
                }

                Directory.Delete(temporary, recursive: true);
            }

            return files.Count;
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
