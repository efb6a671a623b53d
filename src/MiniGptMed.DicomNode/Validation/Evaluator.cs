using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.Imaging.Volumes;
using MiniGptMed.Dicom.IO;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.Inference.Generation;
using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Output;

namespace MiniGptMed.DicomNode.Validation;

/// <summary>
/// Runs a labelled DICOM set through the node's own analysis path (<see cref="StudyLoader"/>, <see cref="ImagePlanner"/>,
/// <see cref="StudyAnalyzer"/>: the rendering, windows, stretch and box mapping <c>serve</c> and <c>analyze</c> use) and
/// scores every labelled frame. Detection, refer and grounding are asked once per frame; identify once per labelled
/// box (the box is the input); VQA once per labelled question; report once per frame with a reference sentence.
/// </summary>
internal sealed class Evaluator(IModelRunner runner, GenerationOptions? generation = null)
{
    public static readonly IReadOnlyList<MedTask> AllTasks = [MedTask.Detection, MedTask.Refer, MedTask.Grounding, MedTask.Identify, MedTask.Vqa, MedTask.Report];

    private static readonly MedTask[] BoxTasks = [MedTask.Detection, MedTask.Refer, MedTask.Grounding];

    /// <summary>Units of work <see cref="RunAsync"/> reports through its progress (one per model call).</summary>
    public static int WorkUnits(IReadOnlyList<ImageLabel> labels, IReadOnlyList<MedTask> tasks) =>
        labels.Count * (tasks.Any(t => BoxTasks.Contains(t) || t == MedTask.Report) ? 1 : 0)
        + (tasks.Contains(MedTask.Identify) ? labels.Sum(l => l.Boxes.Count) : 0)
        + (tasks.Contains(MedTask.Vqa) ? labels.Sum(l => l.Vqa.Count) : 0);

    /// <exception cref="LabelException">A label names an instance or frame the folder does not hold, or a box outside its image.</exception>
    /// <exception cref="AnalysisInputException">A file cannot be read or rendered; names the file.</exception>
    public async Task<EvaluationResult> RunAsync(string directory, string labelsName, LabelSet labels, IReadOnlyList<MedTask> tasks,
        SliceSelection slices, WindowPreset? window, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(tasks);
        var index = InstanceIndex.Build(directory);
        Check(labelsName, labels, index);
        var notes = new List<string>(index.Notes);
        var byKey = labels.Images.ToDictionary(l => (l.SopInstanceUid, l.Frame));
        var results = new List<EvaluatedImage>();
        var done = 0;
        foreach (var study in labels.Images.GroupBy(l => index.Instances[l.SopInstanceUid].StudyInstanceUid, StringComparer.Ordinal))
        {
            var loaded = StudyLoader.LoadFiles(index.FilesOfStudy(study.Key));
            var plan = ImagePlanner.Plan(loaded, slices, window);
            var planned = plan.Images.Where(p => byKey.ContainsKey((p.Instance.SopInstanceUid, p.FrameIndex + 1))).ToList();
            var unlabelled = plan.Images.Count - planned.Count;
            if (unlabelled > 0)
            {
                notes.Add($"study {study.Key}: {unlabelled} planned frames have no label and were not evaluated");
            }

            foreach (var label in study.Where(l => !planned.Any(p => p.Instance.SopInstanceUid == l.SopInstanceUid && p.FrameIndex + 1 == l.Frame)))
            {
                notes.Add($"{label.Name}: not analysed, the planner left it out ({string.Join("; ", plan.Notes.DefaultIfEmpty("not chosen by the slice selection"))})");
            }

            foreach (var chunk in planned.Chunk(Math.Max(1, runner.BatchSize)))
            {
                results.AddRange(await ScoreAsync(plan, chunk, byKey, labels.Finding, tasks, cancellationToken).ConfigureAwait(false));
                done += chunk.Sum(p => Units(byKey[(p.Instance.SopInstanceUid, p.FrameIndex + 1)], tasks));
                progress?.Report(done);
            }
        }

        return new EvaluationResult(results, notes);
    }

    private static int Units(ImageLabel label, IReadOnlyList<MedTask> tasks) => WorkUnits([label], tasks);

    private async Task<List<EvaluatedImage>> ScoreAsync(AnalysisPlan plan, PlannedImage[] images,
        Dictionary<(string, int), ImageLabel> byKey, string finding, IReadOnlyList<MedTask> tasks, CancellationToken cancellationToken)
    {
        var main = new List<AnalysisTask>();
        foreach (var task in tasks)
        {
            switch (task)
            {
                case MedTask.Detection:
                    main.Add(new AnalysisTask(task, finding));
                    break;
                case MedTask.Refer:
                    main.Add(new AnalysisTask(task, $"where is {finding} ?"));
                    break;
                case MedTask.Grounding:
                case MedTask.Report:
                    main.Add(new AnalysisTask(task));
                    break;
            }
        }

        var sub = plan with { Images = images };
        StudyAnalysis? analysis = main.Count > 0 ? await StudyAnalyzer.AnalyzeAsync(sub, main, runner, generation, cancellationToken).ConfigureAwait(false) : null;
        var scored = new List<EvaluatedImage>();
        for (var i = 0; i < images.Length; i++)
        {
            var planned = images[i];
            var label = byKey[(planned.Instance.SopInstanceUid, planned.FrameIndex + 1)];
            var rendered = analysis?.Images[i].Rendered ?? ImageRendering.Render(planned);
            var boxes = new List<BoxTaskScore>();
            ReportScore? report = null;
            for (var t = 0; t < main.Count; t++)
            {
                var answer = analysis!.Images[i].Answers[t];
                if (main[t].Task == MedTask.Report)
                {
                    if (label.Report is { } reference)
                    {
                        report = new ReportScore(answer.Text, reference, TextMetrics.RougeL(answer.Text, reference),
                            TextMetrics.Bleu(TextMetrics.Words(answer.Text), [TextMetrics.Words(reference)]));
                    }

                    continue;
                }

                var predicted = answer.Findings.SelectMany(f => f.Regions.Select(r => r.Rectangle)).ToList();
                boxes.Add(new BoxTaskScore(main[t].Task, answer.RawText, predicted, BoxMatching.Match(label.Boxes, predicted)));
            }

            var identify = tasks.Contains(MedTask.Identify) && label.Boxes.Count > 0
                ? await IdentifyAsync(plan, planned, label, finding, cancellationToken).ConfigureAwait(false)
                : null;
            var vqa = tasks.Contains(MedTask.Vqa) && label.Vqa.Count > 0
                ? await VqaAsync(plan, planned, label, cancellationToken).ConfigureAwait(false)
                : null;
            scored.Add(new EvaluatedImage(label, planned.Instance.Path, rendered, boxes, identify, vqa, report));
        }

        return scored;
    }

    private async Task<AnswerScore> IdentifyAsync(AnalysisPlan plan, PlannedImage image, ImageLabel label, string finding, CancellationToken cancellationToken)
    {
        var tasks = label.Boxes.Select(b => new AnalysisTask(MedTask.Identify, null, new PixelBox(b.X1, b.Y1, b.X2, b.Y2))).ToList();
        var analysis = await StudyAnalyzer.AnalyzeAsync(plan with { Images = [image] }, tasks, runner, generation, cancellationToken).ConfigureAwait(false);
        var answers = analysis.Images[0].Answers.Select(a => a.Text).ToList();
        return Check(answers, answers.Select(_ => finding).ToList());
    }

    private async Task<AnswerScore> VqaAsync(AnalysisPlan plan, PlannedImage image, ImageLabel label, CancellationToken cancellationToken)
    {
        var tasks = label.Vqa.Select(q => new AnalysisTask(MedTask.Vqa, q.Question)).ToList();
        var analysis = await StudyAnalyzer.AnalyzeAsync(plan with { Images = [image] }, tasks, runner, generation, cancellationToken).ConfigureAwait(false);
        return Check(analysis.Images[0].Answers.Select(a => a.Text).ToList(), label.Vqa.Select(q => q.Answer).ToList());
    }

    /// <summary>An answer is right when its words (lower case, punctuation dropped) are the expected words.</summary>
    private static AnswerScore Check(List<string> answers, List<string> expected)
    {
        var wrong = new List<string>();
        for (var k = 0; k < answers.Count; k++)
        {
            if (!TextMetrics.Words(answers[k]).SequenceEqual(TextMetrics.Words(expected[k]), StringComparer.Ordinal))
            {
                wrong.Add($"'{answers[k]}' for '{expected[k]}'");
            }
        }

        return new AnswerScore(answers.Count, answers.Count - wrong.Count, wrong);
    }

    private static void Check(string labelsName, LabelSet labels, InstanceIndex index)
    {
        var problems = new List<string>();
        foreach (var label in labels.Images)
        {
            if (!index.Instances.TryGetValue(label.SopInstanceUid, out var instance))
            {
                problems.Add($"{label.Name}: unknown SOP Instance UID, no such instance in {index.Directory}");
                continue;
            }

            if (label.Frame > instance.Frames)
            {
                problems.Add($"{label.Name}: the instance has {instance.Frames} frame(s)");
            }

            var k = 0;
            foreach (var box in label.Boxes)
            {
                k++;
                if (box.X2 > instance.Columns || box.Y2 > instance.Rows)
                {
                    problems.Add($"{label.Name}: box {k} {LabelSetReader.Show(box)} reaches outside the {instance.Columns}x{instance.Rows} image");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new LabelException(LabelSetReader.Describe(labelsName, problems));
        }
    }
}
