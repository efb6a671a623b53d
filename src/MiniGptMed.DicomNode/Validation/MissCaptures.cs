using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.SecondaryCapture;
using MiniGptMed.DicomNode.Results;
using MiniGptMed.DicomNode.Results.Drawing;
using MiniGptMed.Inference.Model;

namespace MiniGptMed.DicomNode.Validation;

/// <summary>
/// A True Color Secondary Capture per image with a miss: the frame as the model saw it with the labelled boxes
/// ("label ...") and each box task's boxes burned in, so a reviewer sees at once what was missed or invented. The
/// SCs go into their own series of the source's study; their UIDs are derived from the model and the image (the same
/// evaluation writes the same files).
/// </summary>
internal static class MissCaptures
{
    public const string SeriesDescription = "Evaluation misses (MiniGPT-Med), not for diagnostic use";

    public const string Derivation = "Windowed as analysed; labelled boxes and AI-generated boxes burned in for evaluation";

    /// <summary>Beside the results' 9001..9003 (ResultsContext), so a viewer lists the misses after them.</summary>
    public const int MissSeriesNumber = 9090;

    /// <returns>The files written into <paramref name="directory"/> (nothing when no image has a miss).</returns>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<EvaluatedImage> images, string modelKey, DeviceIdentity device, DateTimeOffset createdAt)
    {
        var files = new List<(string FileName, Action<Stream> Write)>();
        var number = 0;
        foreach (var image in images.Where(i => i.Missed))
        {
            var dataset = Build(image, modelKey, device, createdAt, ++number);
            files.Add(($"MISS_{image.Label.SopInstanceUid}_{image.Label.Frame}.dcm",
                s => new DicomFile(new DicomDataset(), dataset, DicomTransferSyntax.ExplicitVRLittleEndian).Save(s)));
        }

        return files.Count == 0 ? [] : AtomicOutput.Write(directory, files);
    }

    private static DicomDataset Build(EvaluatedImage image, string modelKey, DeviceIdentity device, DateTimeOffset createdAt, int instanceNumber)
    {
        var r = image.Rendered;
        var boxes = image.Label.Boxes.Select(b => new OverlayBox(b, "label")).ToList();
        foreach (var task in image.Boxes)
        {
            boxes.AddRange(task.Predicted.Select(p => new OverlayBox(p, task.Task.ToManifestKey())));
        }

        var painted = OverlayPainter.Paint(r.Image, boxes);
        var source = r.Planned.Instance.Dataset;
        var study = source.GetString(DicomTags.StudyInstanceUID) ?? string.Empty;
        var identity = new DerivedObjectIdentity(
            TrueColorSecondaryCaptureBuilder.SopClassUid,
            ResultUids.Derive($"minigptmed-evaluate/1\nmodel={modelKey}\nimage={image.Label.SopInstanceUid}#{image.Label.Frame}"),
            ResultUids.Derive($"minigptmed-evaluate/1\nmodel={modelKey}\nstudy={study}\nseries"),
            MissSeriesNumber,
            instanceNumber,
            "OT",
            SeriesDescription);
        var header = DerivedObjectHeader.Create(source, identity, device, createdAt);
        var frame = new SecondaryCaptureFrame(painted.Rgb, r.Source, null, r.Planned.Instance.IsMultiFrame);
        return TrueColorSecondaryCaptureBuilder.Build(header, [frame], new SecondaryCaptureOptions(createdAt, Derivation));
    }
}
