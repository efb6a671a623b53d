using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.PresentationState;
using MiniGptMed.DicomNode.Analysis;

namespace MiniGptMed.DicomNode.Results;

/// <summary>
/// Per source series (and per photometric interpretation within it), one presentation state on the original images: every region as a rectangle with its label on
/// the node's graphic layer, and (grayscale) the window the model was shown as the Softcopy VOI LUT, so the
/// radiologist sees the original pixels as the model saw them and toggles the boxes. Grayscale originals get a GSPS,
/// colour ones a Color Softcopy Presentation State.
/// </summary>
internal sealed class PresentationStateComposer : IResultComposer
{
    public const string SeriesDescription = "AI overlay (MiniGPT-Med), not verified by a radiologist";

    public IEnumerable<ResultObject> Compose(ResultsContext context)
    {
        var instanceNumber = 0;
        foreach (var series in context.ImagesBySeries)
        {
            // One Presentation LUT Shape (GSPS) or colour handling applies to every image a state references (PS3.3
            // C.11.6), so a series mixing MONOCHROME1 and MONOCHROME2 (or grey and colour) gets one state per kind, in
            // order of first appearance; the first keeps the series' UID, each further one is named by its kind.
            var kinds = series.GroupBy(i => (i.Rendered.Image.IsGrey, Photometric: i.Rendered.Planned.Instance.Dataset.GetString(DicomTags.PhotometricInterpretation) ?? ""));
            foreach (var (kind, index) in kinds.Select((k, n) => (k, n)))
            {
                yield return Compose(context, series.Key, index == 0 ? series.Key : $"{series.Key}/{kind.Key.Photometric}", [.. kind], ++instanceNumber);
            }
        }
    }

    private static ResultObject Compose(ResultsContext context, string seriesUid, string uidKey, IReadOnlyList<Analysis.AnalysedImage> series, int instanceNumber)
    {
        var images = series.Select(image =>
        {
            var r = image.Rendered;
            var window = r.Window is { } w ? new PresentationWindow(w.Center, w.Width, w.Function == "LINEAR" ? null : w.Function, Explanation(w)) : null;
            return PresentationImage.FromSource(r.Planned.Instance.Dataset, r.Source.FrameNumber, window, Annotations(image));
        }).ToList();
        var grey = series[0].Rendered.Image.IsGrey;
        var identity = context.Identity(
            ResultKind.PR,
            grey ? GrayscaleSoftcopyPresentationStateBuilder.SopClassUid : ColorSoftcopyPresentationStateBuilder.SopClassUid,
            uidKey,
            instanceNumber,
            "PR",
            SeriesDescription);
        var header = DerivedHeaders.ForSeries(series[0].Rendered.Planned.Instance.Dataset, identity, context);
        var content = new PresentationStateContent(context.CreatedAt);
        var dataset = grey
            ? GrayscaleSoftcopyPresentationStateBuilder.Build(header, images, content)
            : ColorSoftcopyPresentationStateBuilder.Build(header, images, content);
        return new ResultObject(ResultKind.PR, identity, seriesUid, dataset);
    }

    /// <summary>Every region of every answer on the image, labelled with its phrase (or the task when it has none).</summary>
    public static IReadOnlyList<PresentationAnnotation> Annotations(Analysis.AnalysedImage image) =>
        image.Answers.SelectMany(a => a.Findings.SelectMany(f => f.Regions.Select(r =>
            new PresentationAnnotation(r.Rectangle, Label(f.Phrase ?? a.Task.Prompt ?? a.Task.Key))))).ToList();

    // LO: 64 characters at most.
    private static string Label(string text) => text.Length <= 64 ? text : text[..64];

    private static string Explanation(AppliedWindow window) =>
        window.Explanation.Length <= 64 ? window.Explanation : window.Explanation[..64];
}
