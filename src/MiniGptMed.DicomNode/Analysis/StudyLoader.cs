using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;

namespace MiniGptMed.DicomNode.Analysis;

/// <summary>
/// Reads what <c>analyze</c> (and later the pipeline) is given: one file, a series folder or a study folder
/// (searched recursively), grouped by series. One study at a time: results go into the source's study.
/// </summary>
internal static class StudyLoader
{
    /// <summary>Reads <paramref name="path"/>, a DICOM file or a folder of them.</summary>
    /// <exception cref="AnalysisInputException">Nothing analysable, a file that is not DICOM, several studies; the message names the file.</exception>
    public static SourceStudy Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            var instance = Read(path);
            if (!instance.HasPixelData)
            {
                throw new AnalysisInputException(path, "has no Pixel Data (7FE0,0010): there is no image to analyse");
            }

            return Group([instance], []);
        }

        if (!Directory.Exists(path))
        {
            throw new AnalysisInputException(path, "no such file or folder");
        }

        var notes = new List<string>();
        var instances = new List<SourceInstance>();
        // Ordinal order: the same folder gives the same plan on every machine.
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            SourceInstance instance;
            try
            {
                instance = Read(file);
            }
            catch (AnalysisInputException ex) when (ex.InnerException is DicomFormatException)
            {
                // A study folder holds other files too (DICOMDIR readers' indexes, notes): left out, and said so.
                notes.Add($"{file}: left out, not a DICOM file ({ex.InnerException.Message})");
                continue;
            }

            if (!instance.HasPixelData)
            {
                notes.Add($"{file}: left out, no Pixel Data (a {(instance.Modality.Length > 0 ? instance.Modality : "non-image")} object)");
                continue;
            }

            instances.Add(instance);
        }

        if (instances.Count == 0)
        {
            throw new AnalysisInputException(path, notes.Count == 0 ? "the folder holds no files" : $"the folder holds no DICOM image ({notes.Count} files left out)");
        }

        return Group(instances, notes);
    }

    /// <summary>Reads the given files (an assembly group's catalogue rows); objects without Pixel Data are left out with a note.</summary>
    /// <exception cref="AnalysisInputException">No image among them, a file that is not DICOM, several studies; the message names the file.</exception>
    public static SourceStudy LoadFiles(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var notes = new List<string>();
        var instances = new List<SourceInstance>();
        foreach (var file in paths.Order(StringComparer.Ordinal))
        {
            var instance = Read(file);
            if (!instance.HasPixelData)
            {
                notes.Add($"{file}: left out, no Pixel Data (a {(instance.Modality.Length > 0 ? instance.Modality : "non-image")} object)");
                continue;
            }

            instances.Add(instance);
        }

        if (instances.Count == 0)
        {
            throw new AnalysisInputException(paths.Count > 0 ? paths[0] : "(no files)", "the group holds no DICOM image");
        }

        return Group(instances, notes);
    }

    private static SourceInstance Read(string path)
    {
        try
        {
            return new SourceInstance(path, DicomFile.Open(path));
        }
        catch (Exception ex) when (ex is DicomFormatException or DicomDataException or IOException or UnauthorizedAccessException)
        {
            throw new AnalysisInputException(path, $"cannot be read as DICOM: {ex.Message}", ex);
        }
    }

    private static SourceStudy Group(List<SourceInstance> instances, List<string> notes)
    {
        foreach (var instance in instances)
        {
            if (instance.StudyInstanceUid.Length == 0 || instance.SeriesInstanceUid.Length == 0 || instance.SopInstanceUid.Length == 0)
            {
                throw new AnalysisInputException(instance.Path,
                    "lacks a Study, Series or SOP Instance UID: results could not be placed in its study");
            }
        }

        var studies = instances.Select(i => i.StudyInstanceUid).Distinct(StringComparer.Ordinal).ToList();
        if (studies.Count > 1)
        {
            var second = instances.First(i => i.StudyInstanceUid != studies[0]);
            throw new AnalysisInputException(second.Path,
                $"belongs to study {second.StudyInstanceUid}, another than {studies[0]}: analyze one study at a time");
        }

        // One copy per SOP Instance UID: a folder may hold the same instance twice (a copy, a re-send).
        var unique = new List<SourceInstance>();
        foreach (var group in instances.GroupBy(i => i.SopInstanceUid, StringComparer.Ordinal))
        {
            unique.Add(group.First());
            foreach (var duplicate in group.Skip(1))
            {
                notes.Add($"{duplicate.Path}: left out, same SOP Instance UID as {group.First().Path}");
            }
        }

        var series = unique
            .GroupBy(i => i.SeriesInstanceUid, StringComparer.Ordinal)
            .Select(g => new SourceSeries(g.Key, g.First().Modality, g.ToList()))
            .OrderBy(s => s.SeriesNumber ?? int.MaxValue)
            .ThenBy(s => s.SeriesInstanceUid, StringComparer.Ordinal)
            .ToList();
        return new SourceStudy(studies[0], series, notes);
    }
}
