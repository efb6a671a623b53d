using MiniGptMed.Dicom.Composition;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.Inference.Model;

namespace MiniGptMed.DicomNode.Validation;

/// <summary>A box task's answer on one image: the raw text, the regions in source pixels, and how they match the labels.</summary>
internal sealed record BoxTaskScore(MedTask Task, string RawText, IReadOnlyList<PixelRectangle> Predicted, BoxMatch Match)
{
    /// <summary>A labelled box left unmatched or a box where none is labelled.</summary>
    public bool Missed => Match.Matched < Match.Labelled.Count || Match.FalseBoxes > 0;
}

/// <summary>Answers checked against expected text (identify per labelled box, VQA per question).</summary>
internal sealed record AnswerScore(int Asked, int Correct, IReadOnlyList<string> Wrong);

/// <summary>The report sentence against the reference: ROUGE-L and the sentence's own BLEU-4.</summary>
internal sealed record ReportScore(string Text, string Reference, double RougeL, double Bleu4);

/// <summary>One labelled frame after evaluation: where it came from, what the model saw, and each task's score.</summary>
internal sealed record EvaluatedImage(ImageLabel Label, string Path, RenderedImage Rendered,
    IReadOnlyList<BoxTaskScore> Boxes, AnswerScore? Identify, AnswerScore? Vqa, ReportScore? Report)
{
    public bool Missed => Boxes.Any(b => b.Missed) || Identify is { } i && i.Correct < i.Asked || Vqa is { } v && v.Correct < v.Asked;
}

/// <summary>What <see cref="Evaluator"/> found: the scored images and notes (unlabelled frames, labels the planner left out).</summary>
internal sealed record EvaluationResult(IReadOnlyList<EvaluatedImage> Images, IReadOnlyList<string> Notes);
