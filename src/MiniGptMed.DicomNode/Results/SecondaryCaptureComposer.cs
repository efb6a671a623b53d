using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.SecondaryCapture;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.DicomNode.Results.Drawing;

namespace MiniGptMed.DicomNode.Results;

/// <summary>
/// Per source series, one Multi-frame True Color Secondary Capture: each analysed frame as the model saw it (the same
/// windowed pixels, at the source's matrix), with every region and its label burned in and the banner, one frame
/// per analysed image in plan order, each referencing its source image and frame. A multi-frame image has one matrix
/// (PS3.3 C.7.6.3: Rows and Columns hold for every frame), so a series whose images differ in size (radiographs of
/// several detector or cassette formats) gets one SC per matrix, in order of first appearance; the first keeps the
/// series' UID, each further one is named by the series and its matrix.
/// </summary>
internal sealed class SecondaryCaptureComposer : IResultComposer
{
    public const string SeriesDescription = "AI overlay images (MiniGPT-Med), not for diagnostic use";

    public const string Derivation = "Windowed as analysed by MiniGPT-Med; AI-generated findings burned in, not verified";

    public IEnumerable<ResultObject> Compose(ResultsContext context)
    {
        var instanceNumber = 0;
        foreach (var series in context.ImagesBySeries)
        {
            foreach (var (matrix, index) in series.GroupBy(i => (i.Rendered.Image.Width, i.Rendered.Image.Height)).Select((m, k) => (m, k)))
            {
                yield return Compose(context, series.Key, index == 0 ? series.Key : $"{series.Key}/{matrix.Key.Width}x{matrix.Key.Height}",
                    [.. matrix], ++instanceNumber);
            }
        }
    }

    private static ResultObject Compose(ResultsContext context, string seriesUid, string uidKey, IReadOnlyList<Analysis.AnalysedImage> images, int instanceNumber)
    {
        var frames = images.Select(Frame).ToList();
        var identity = context.Identity(ResultKind.SC, TrueColorSecondaryCaptureBuilder.SopClassUid, uidKey, instanceNumber, "OT", SeriesDescription);
        var header = DerivedHeaders.ForSeries(images[0].Rendered.Planned.Instance.Dataset, identity, context);
        var dataset = TrueColorSecondaryCaptureBuilder.Build(header, frames, new SecondaryCaptureOptions(context.CreatedAt, Derivation));
        return new ResultObject(ResultKind.SC, identity, seriesUid, dataset);
    }

    private static SecondaryCaptureFrame Frame(Analysis.AnalysedImage image)
    {
        var r = image.Rendered;
        var boxes = image.Answers.SelectMany(a => a.Findings.SelectMany(f => f.Regions.Select(region =>
            new OverlayBox(region.Rectangle, f.Phrase ?? a.Task.Prompt ?? a.Task.Key)))).ToList();
        var painted = OverlayPainter.Paint(r.Image, boxes);
        // Pixel Spacing only: a detector's Imager Pixel Spacing is not calibrated to the patient (PS3.3 10.7.1.3).
        var spacing = r.Planned.Instance.Dataset.GetValues<double>(DicomTags.PixelSpacing);
        return new SecondaryCaptureFrame(painted.Rgb, r.Source,
            spacing.Length >= 2 && spacing[0] > 0 && spacing[1] > 0 ? new PixelSpacing(spacing[0], spacing[1]) : null,
            r.Planned.Instance.IsMultiFrame);
    }
}
