using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.DicomNode.Export;
using MiniGptMed.DicomNode.Imaging;

namespace MiniGptMed.DicomNode.Http.Pages;

/// <summary>What a study's result folder shows on the dashboard: whether it has a Secondary Capture, and its thumbnail.</summary>
internal static class StudyResults
{
    public static bool HasSecondaryCapture(string dataDirectory, string studyUid) =>
        DicomUid.IsValid(studyUid)
        && ResultFolders.Files(ResultFolders.For(dataDirectory, studyUid)).Any(f => Path.GetFileName(f).StartsWith("SC_", StringComparison.Ordinal));

    /// <summary>The first Secondary Capture's first frame as PNG; null when the study has none.</summary>
    public static byte[]? Thumbnail(string dataDirectory, string studyUid)
    {
        var sc = ResultFolders.Files(ResultFolders.For(dataDirectory, studyUid)).FirstOrDefault(f => Path.GetFileName(f).StartsWith("SC_", StringComparison.Ordinal));
        if (sc is null)
        {
            return null;
        }

        var file = DicomFile.Open(sc);
        var image = DicomImageRenderer.Render(DicomPixelData.Create(file.Dataset, file.TransferSyntax.Uid), 0, WindowPreset.Dataset);
        using var png = new MemoryStream();
        PngWriter.Write(image, png);
        return png.ToArray();
    }
}
