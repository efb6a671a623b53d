using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.DicomNode.Analysis;

namespace MiniGptMed.DicomNode.Validation;

/// <summary>What the labels are checked against: a folder's instances by SOP Instance UID (headers only).</summary>
internal sealed class InstanceIndex
{
    private static readonly DicomReaderOptions HeadersOnly = new() { StopBeforeTag = DicomTags.PixelData };

    private InstanceIndex(string directory, Dictionary<string, IndexedInstance> instances, List<string> notes)
    {
        Directory = directory;
        Instances = instances;
        Notes = notes;
    }

    public string Directory { get; }

    public IReadOnlyDictionary<string, IndexedInstance> Instances { get; }

    /// <summary>Files left out (not DICOM, no image) and duplicates.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <exception cref="AnalysisInputException">The folder does not exist or holds no DICOM image.</exception>
    public static InstanceIndex Build(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new AnalysisInputException(directory, "no such folder");
        }

        var instances = new Dictionary<string, IndexedInstance>(StringComparer.Ordinal);
        var notes = new List<string>();
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            DicomDataset ds;
            try
            {
                ds = DicomFile.Open(file, HeadersOnly).Dataset;
            }
            catch (Exception ex) when (ex is DicomFormatException or DicomDataException or IOException or UnauthorizedAccessException)
            {
                notes.Add($"{file}: left out, not readable as DICOM ({ex.Message})");
                continue;
            }

            var uid = Trim(ds.GetString(DicomTags.SOPInstanceUID));
            var rows = ds.TryGetValue<int>(DicomTags.Rows, out var r) ? r : 0;
            var columns = ds.TryGetValue<int>(DicomTags.Columns, out var c) ? c : 0;
            if (uid.Length == 0 || rows == 0 || columns == 0)
            {
                notes.Add($"{file}: left out, not an image with a SOP Instance UID");
                continue;
            }

            if (instances.TryGetValue(uid, out var first))
            {
                notes.Add($"{file}: left out, same SOP Instance UID as {first.Path}");
                continue;
            }

            var frames = ds.TryGetValue<int>(DicomTags.NumberOfFrames, out var f) && f > 0 ? f : 1;
            instances[uid] = new IndexedInstance(file, Trim(ds.GetString(DicomTags.StudyInstanceUID)), columns, rows, frames);
        }

        if (instances.Count == 0)
        {
            throw new AnalysisInputException(directory, "the folder holds no DICOM image");
        }

        return new InstanceIndex(directory, instances, notes);
    }

    public IReadOnlyList<string> FilesOfStudy(string studyInstanceUid) =>
        Instances.Values.Where(i => i.StudyInstanceUid == studyInstanceUid).Select(i => i.Path).ToList();

    private static string Trim(string? value) => (value ?? string.Empty).Trim().TrimEnd('\0');
}

/// <summary>One image of the folder: its file, study and matrix.</summary>
internal sealed record IndexedInstance(string Path, string StudyInstanceUid, int Columns, int Rows, int Frames);
