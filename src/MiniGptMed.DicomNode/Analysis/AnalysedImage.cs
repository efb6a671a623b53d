using MiniGptMed.Dicom.Composition;
using MiniGptMed.Inference;
using MiniGptMed.Inference.Output;

namespace MiniGptMed.DicomNode.Analysis;

/// <summary>A model box on the source image: in model units (0..100) and in the source's pixels, and whether it was clipped.</summary>
internal sealed record LocatedRegion(NormalizedBox ModelBox, PixelRectangle Rectangle, bool Clipped);

/// <summary>
/// A phrase of the answer with the regions it points at (none when the answer gave no usable box) and the model's
/// confidence in it (0..1, the geometric mean of its tokens' probabilities; null when not known).
/// </summary>
internal sealed record ImageFinding(string? Phrase, IReadOnlyList<LocatedRegion> Regions, double? Confidence = null);

/// <summary>
/// The answer to one task on one image: the instruction asked, the clean text, the findings with their regions on the
/// source, and notes (boxes clipped or dropped, markup the parser repaired).
/// </summary>
internal sealed record TaskAnswer(AnalysisTask Task, string Instruction, string Text, string RawText,
    IReadOnlyList<ImageFinding> Findings, IReadOnlyList<string> Notes, AnalysisResult? Result = null);

/// <summary>An image as the model saw it and its answers, one per task, in task order.</summary>
internal sealed record AnalysedImage(RenderedImage Rendered, IReadOnlyList<TaskAnswer> Answers);

/// <summary>
/// A finished analysis of one study: what was chosen, which model answered which tasks, every image's answers and
/// the notes (files left out, boxes clipped). The Results writer takes this, so that tests can give it a known answer.
/// </summary>
internal sealed record StudyAnalysis(AnalysisPlan Plan, IReadOnlyList<AnalysisTask> Tasks, ModelIdentity Model, IReadOnlyList<AnalysedImage> Images)
{
    public string StudyInstanceUid => Plan.Study.StudyInstanceUid;

    /// <summary>Every note: the plan's, then each answer's, prefixed with the image it concerns.</summary>
    public IEnumerable<string> Notes =>
        Plan.Notes.Concat(Images.SelectMany(i => i.Answers.SelectMany(a => a.Notes.Select(n =>
            $"{i.Rendered.Planned.Instance.Path} frame {i.Rendered.Source.FrameNumber}, {a.Task.Key}: {n}"))));
}
