using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.StructuredReport;
using MiniGptMed.DicomNode.Export;
using MiniGptMed.DicomNode.Imaging;

namespace MiniGptMed.DicomNode.Http.Pages;

/// <summary>What a study's result folder shows on the dashboard: the findings of its SR and whether it has a Secondary Capture.</summary>
internal sealed record StudyResults(string Findings, bool HasSecondaryCapture)
{
    public static StudyResults For(string dataDirectory, string studyUid)
    {
        if (!DicomUid.IsValid(studyUid))
        {
            return new StudyResults("", false);
        }

        var files = ResultFolders.Files(ResultFolders.For(dataDirectory, studyUid));
        var sr = files.FirstOrDefault(f => Path.GetFileName(f).StartsWith("SR_", StringComparison.Ordinal));
        return new StudyResults(sr is null ? "" : ReadFindings(sr), files.Any(f => Path.GetFileName(f).StartsWith("SC_", StringComparison.Ordinal)));
    }

    /// <summary>The SR's coded findings (TID 1500 "Finding") and its text, de-duplicated, shortened.</summary>
    private static string ReadFindings(string path)
    {
        try
        {
            var root = ContentTree.Read(DicomFile.Open(path).Dataset);
            var found = new List<string>();
            foreach (var item in ContentTree.Descendants(root))
            {
                var text = item switch
                {
                    CodeContentItem code when code.ConceptName?.Meaning == "Finding" => code.Code?.Meaning,
                    TextContentItem t => t.Text,
                    _ => null,
                };
                if (!string.IsNullOrWhiteSpace(text) && !found.Contains(text))
                {
                    found.Add(text);
                }
            }

            var joined = string.Join("; ", found);
            return joined.Length > 240 ? joined[..237] + "..." : joined;
        }
        catch (Exception ex) when (ex is DicomFormatException or DicomDataException or IOException or InvalidOperationException)
        {
            return $"(the SR cannot be read: {ex.Message})";
        }
    }

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
