using MiniGptMed.Dicom.Data;

namespace MiniGptMed.DicomNode.Export;

/// <summary>Where a study's result objects live: <c>&lt;data&gt;/results/&lt;Study Instance UID&gt;/</c> (docs/pipeline.md).</summary>
public static class ResultFolders
{
    public const string Root = "results";

    /// <summary>The folder of one study's results under <paramref name="root"/>; the UID is checked first, so it cannot name another path.</summary>
    public static string For(string root, string studyInstanceUid)
    {
        // PS3.5 9.1: a UID is digits and dots only, so it is a safe file name ("..", "/" cannot occur).
        if (!DicomUid.IsValid(studyInstanceUid))
        {
            throw new ArgumentException($"'{studyInstanceUid}' is not a UID.", nameof(studyInstanceUid));
        }

        return Path.Combine(Path.GetFullPath(root), Root, studyInstanceUid);
    }

    /// <summary>The sealed result files of a study (folders being written start with a dot and are not looked into).</summary>
    public static IReadOnlyList<string> Files(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.dcm", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToList()
            : [];
}
