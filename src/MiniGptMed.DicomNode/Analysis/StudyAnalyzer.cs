using MiniGptMed.Inference;
using MiniGptMed.Inference.Generation;
using MiniGptMed.Inference.Imaging;

namespace MiniGptMed.DicomNode.Analysis;

/// <summary>
/// The node's analysis path, shared by <c>analyze</c> and the pipeline: render every planned frame with its window,
/// ask every task of every image in batches of the runner's size, and map the answers back to the source pixels.
/// </summary>
internal static class StudyAnalyzer
{
    /// <exception cref="AnalysisInputException">An image cannot be rendered or the model rejected it; names the file.</exception>
    public static async Task<StudyAnalysis> AnalyzeAsync(AnalysisPlan plan, IReadOnlyList<AnalysisTask> tasks, IModelRunner runner,
        GenerationOptions? generation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(runner);
        if (tasks.Count == 0)
        {
            throw new ArgumentException("At least one task is needed.", nameof(tasks));
        }

        if (plan.Images.Count == 0)
        {
            var first = plan.Study.Series.Count > 0 && plan.Study.Series[0].Instances.Count > 0 ? plan.Study.Series[0].Instances[0].Path : plan.Study.StudyInstanceUid;
            throw new AnalysisInputException(first,
                "no image of the study was chosen for analysis (" + string.Join("; ", plan.Notes.DefaultIfEmpty("nothing to analyse")) + ")");
        }

        // Grey images are kept at one byte per pixel; the RGB copy the engine needs exists only while its batch runs.
        var rendered = plan.Images.Select(ImageRendering.Render).ToList();
        var pairs = rendered.SelectMany((image, i) => tasks.Select((task, t) => (Image: i, Task: t))).ToList();
        var answers = new TaskAnswer[rendered.Count, tasks.Count];
        foreach (var chunk in pairs.Chunk(runner.BatchSize))
        {
            var rgb = new Dictionary<int, RgbImage>();
            var requests = chunk.Select(p =>
            {
                if (!rgb.TryGetValue(p.Image, out var image))
                {
                    image = rendered[p.Image].ToRgb();
                    rgb[p.Image] = image;
                }

                var task = tasks[p.Task];
                return new AnalysisRequest(image, task.Task, task.Prompt, task.Box, generation);
            }).ToList();
            var outcomes = await runner.AnalyzeBatchAsync(requests, cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < chunk.Length; k++)
            {
                var (i, t) = chunk[k];
                var image = rendered[i];
                if (outcomes[k].Result is not { } result)
                {
                    throw new AnalysisInputException(image.Planned.Instance.Path,
                        $"frame {image.Source.FrameNumber}, task {tasks[t].Key}: {outcomes[k].Error?.Message ?? "the model gave no answer"}",
                        outcomes[k].Error);
                }

                answers[i, t] = BoxMapping.Answer(tasks[t], result, image.Source);
            }
        }

        var images = rendered.Select((image, i) => new AnalysedImage(image, Enumerable.Range(0, tasks.Count).Select(t => answers[i, t]).ToList())).ToList();
        return new StudyAnalysis(plan, tasks, runner.Model, images);
    }
}
