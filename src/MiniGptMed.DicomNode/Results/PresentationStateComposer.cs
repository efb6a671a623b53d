using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.PresentationState;
using MiniGptMed.DicomNode.Analysis;

namespace MiniGptMed.DicomNode.Results;

/// <summary>
/// Per source series, one presentation state on the original images: every region as a rectangle with its label on
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
            var images = series.Select(image =>
            {
                var r = image.Rendered;
                var window = r.Window is { } w ? new PresentationWindow(w.Center, w.Width, w.Function == "LINEAR" ? null : w.Function, Explanation(w)) : null;
                return PresentationImage.FromSource(r.Planned.Instance.Dataset, r.Source.FrameNumber, window, Annotations(image));
            }).ToList();
            var grey = series.First().Rendered.Image.IsGrey;
            var identity = new DerivedObjectIdentity(
                grey ? GrayscaleSoftcopyPresentationStateBuilder.SopClassUid : ColorSoftcopyPresentationStateBuilder.SopClassUid,
                context.Uids.InstanceUid(ResultKind.PR, series.Key),
                context.Uids.SeriesUid(ResultKind.PR),
                ResultsContext.SeriesNumber(ResultKind.PR),
                ++instanceNumber,
                "PR",
                SeriesDescription);
            var header = DerivedHeaders.ForSeries(series.First().Rendered.Planned.Instance.Dataset, identity, context);
            var content = new PresentationStateContent(context.CreatedAt);
            var dataset = grey
                ? GrayscaleSoftcopyPresentationStateBuilder.Build(header, images, content)
                : ColorSoftcopyPresentationStateBuilder.Build(header, images, content);
            yield return new ResultObject(ResultKind.PR, identity, series.Key, dataset);
        }
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
