using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.Imaging.Volumes;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.Inference;
using MiniGptMed.Inference.Generation;
using MiniGptMed.Inference.Output;

namespace MiniGptMed.DicomNode.Tests.Support;

/// <summary>
/// A <see cref="StudyAnalysis"/> of real DICOM sources with answers the test chooses (raw model text per task),
/// for the Results writer: known boxes, German or Chinese text, answers without boxes.
/// </summary>
internal static class InjectedAnalysis
{
    public static readonly ModelIdentity Model = new("minigptmed-test-injected", "sha256:0000000000000000");

    public static StudyAnalysis Create(string input, IReadOnlyList<(AnalysisTask Task, string Raw)> answers, SliceSelection? slices = null, WindowPreset? window = null)
    {
        var plan = ImagePlanner.Plan(StudyLoader.Load(input), slices ?? SliceSelection.All, window);
        var images = plan.Images.Select(ImageRendering.Render).Select(rendered => new AnalysedImage(rendered, answers.Select(a =>
        {
            var parsed = OutputParser.Parse(a.Raw, rendered.Source.Columns, rendered.Source.Rows);
            var result = new AnalysisResult(a.Task.Task, a.Task.Prompt ?? a.Task.Task.ToString(), [], a.Raw, parsed, FinishReason.EndOfSequence,
                new GenerationTimings(0, 0, 0, 1));
            return BoxMapping.Answer(a.Task, result, rendered.Source);
        }).ToList())).ToList();
        return new StudyAnalysis(plan, answers.Select(a => a.Task).ToList(), Model, images);
    }
}
