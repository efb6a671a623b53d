using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;

namespace MiniGptMed.DicomNode.Analysis;

/// <summary>One DICOM instance read for analysis: where it came from and the identifiers the results refer to.</summary>
internal sealed class SourceInstance
{
    public SourceInstance(string path, DicomFile file)
    {
        Path = path;
        File = file;
        var ds = file.Dataset;
        StudyInstanceUid = Trim(ds.GetString(DicomTags.StudyInstanceUID));
        SeriesInstanceUid = Trim(ds.GetString(DicomTags.SeriesInstanceUID));
        SopClassUid = Trim(ds.GetString(DicomTags.SOPClassUID));
        SopInstanceUid = Trim(ds.GetString(DicomTags.SOPInstanceUID));
        Modality = Trim(ds.GetString(DicomTags.Modality));
        InstanceNumber = ds.TryGetValue<int>(DicomTags.InstanceNumber, out var n) ? n : null;
        NumberOfFrames = ds.TryGetValue<int>(DicomTags.NumberOfFrames, out var f) && f > 0 ? f : 1;
        HasPixelData = ds.Contains(DicomTags.PixelData);
    }

    public string Path { get; }

    public DicomFile File { get; }

    public DicomDataset Dataset => File.Dataset;

    public string StudyInstanceUid { get; }

    public string SeriesInstanceUid { get; }

    public string SopClassUid { get; }

    public string SopInstanceUid { get; }

    public string Modality { get; }

    public int? InstanceNumber { get; }

    public int NumberOfFrames { get; }

    public bool HasPixelData { get; }

    public bool IsMultiFrame => NumberOfFrames > 1;

    private static string Trim(string? value) => (value ?? string.Empty).Trim().TrimEnd('\0');
}
