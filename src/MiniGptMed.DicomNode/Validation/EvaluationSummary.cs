using MiniGptMed.Inference.Model;

namespace MiniGptMed.DicomNode.Validation;

/// <summary>A box task over the set: labelled boxes matched one to one at IoU >= 0.5, mean IoU, false boxes per image.</summary>
internal sealed record BoxTaskSummary(MedTask Task, int Images, int Labelled, int Matched, double MeanIou, int FalseBoxes)
{
    /// <summary>Share of labelled boxes matched (1 when nothing is labelled: nothing was missed).</summary>
    public double MatchedShare => Labelled == 0 ? 1 : (double)Matched / Labelled;

    public double FalseBoxesPerImage => Images == 0 ? 0 : (double)FalseBoxes / Images;
}

/// <summary>Per group (a labels "group"), the detection-like scores of one box task.</summary>
internal sealed record GroupSummary(string Group, BoxTaskSummary Scores);

/// <summary>Accuracy of answers checked against expected text.</summary>
internal sealed record AccuracySummary(int Asked, int Correct)
{
    public double Accuracy => Asked == 0 ? 0 : (double)Correct / Asked;
}

/// <summary>Report generation: mean sentence ROUGE-L and corpus BLEU-4.</summary>
internal sealed record ReportSummary(int Images, double RougeL, double Bleu4);

/// <summary>The table <c>evaluate</c> prints.</summary>
internal sealed record EvaluationSummary(int Images, IReadOnlyList<BoxTaskSummary> BoxTasks, IReadOnlyList<GroupSummary> Groups,
    AccuracySummary? Identify, AccuracySummary? Vqa, ReportSummary? Report, int MissedImages)
{
    public static EvaluationSummary Of(IReadOnlyList<EvaluatedImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var boxTasks = images.SelectMany(i => i.Boxes.Select(b => b.Task)).Distinct().Order().ToList();
        var summaries = boxTasks.Select(t => Box(t, images)).ToList();
        var groups = boxTasks.Count == 0
            ? []
            : images.Where(i => i.Label.Group is not null).GroupBy(i => i.Label.Group!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new GroupSummary(g.Key, Box(boxTasks[0], g.ToList()))).ToList();
        var identify = Accuracy(images.Select(i => i.Identify));
        var vqa = Accuracy(images.Select(i => i.Vqa));
        var reports = images.Where(i => i.Report is not null).Select(i => i.Report!).ToList();
        var report = reports.Count == 0
            ? null
            : new ReportSummary(reports.Count, reports.Average(r => r.RougeL),
                TextMetrics.Bleu(reports.Select(r => (TextMetrics.Words(r.Text), (IReadOnlyList<IReadOnlyList<string>>)[TextMetrics.Words(r.Reference)])).ToList()));
        return new EvaluationSummary(images.Count, summaries, groups, identify, vqa, report, images.Count(i => i.Missed));
    }

    private static BoxTaskSummary Box(MedTask task, IReadOnlyList<EvaluatedImage> images)
    {
        var scores = images.Select(i => i.Boxes.FirstOrDefault(b => b.Task == task)).Where(b => b is not null).Select(b => b!).ToList();
        var ious = scores.SelectMany(s => s.Match.Labelled.Select(p => p.Iou)).ToList();
        return new BoxTaskSummary(task, scores.Count, ious.Count, scores.Sum(s => s.Match.Matched), ious.Count == 0 ? 0 : ious.Average(),
            scores.Sum(s => s.Match.FalseBoxes));
    }

    private static AccuracySummary? Accuracy(IEnumerable<AnswerScore?> scores)
    {
        var list = scores.Where(s => s is not null).Select(s => s!).ToList();
        return list.Count == 0 ? null : new AccuracySummary(list.Sum(s => s.Asked), list.Sum(s => s.Correct));
    }
}
