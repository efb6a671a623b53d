using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.DicomNode.Validation;
using MiniGptMed.Inference;
using MiniGptMed.Inference.Runtime;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// <c>minigptmed evaluate DIR --labels FILE</c>: runs a labelled DICOM set through the node's analysis path and prints
/// per task the paper's kind of table (docs/validation.md): box tasks' matched share at IoU >= 0.5 (one to one), mean
/// IoU and false boxes per image; identify and VQA accuracy; report ROUGE-L and BLEU-4. With --out: evaluation.csv
/// (a row per image), evaluation.json and misses/ (a Secondary Capture per image with a miss).
/// Exit codes: 0 done, 1 bad labels or unreadable input, 2 bad arguments.
/// </summary>
internal sealed class EvaluateCommand : ICommand
{
    public string Name => "evaluate";

    public string Usage => EvaluateArguments.Usage;

    public string Summary => "Measure the model through the node's analysis path on a labelled DICOM set (IoU, matched share, accuracy, ROUGE-L, BLEU-4).";

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var parsed = EvaluateArguments.Parse(args);
        var (results, inference, errors) = AnalyzeDicomCommand.ReadConfiguration(parsed.ConfigFile, parsed.Provider);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await stderr.WriteLineAsync($"minigptmed evaluate: {error}").ConfigureAwait(false);
            }

            return 2;
        }

        try
        {
            var labels = LabelSetReader.Read(parsed.Labels);
            using var engine = MiniGptMedEngine.Load(parsed.ModelDirectory, inference, new StderrLogger(stderr, LogLevel.Warning));
            var model = ModelIdentity.FromDirectory(parsed.ModelDirectory);
            var runner = new EngineRunner(engine, model, inference.MaxBatchSize);
            var progress = TerminalProgress.For(stderr, Evaluator.WorkUnits(labels.Images, parsed.Tasks), "model calls");
            var evaluation = await new Evaluator(runner).RunAsync(parsed.Directory, parsed.Labels, labels, parsed.Tasks, parsed.Slices, parsed.Window,
                progress, cancellationToken).ConfigureAwait(false);
            var summary = EvaluationSummary.Of(evaluation.Images);
            var modelName = $"{model.Name} {model.Version}";
            var written = new List<string>();
            if (parsed.OutputDirectory is { } output)
            {
                written.AddRange(WriteOutputs(output, evaluation, summary, modelName, results.ToDeviceIdentity()));
            }

            await stdout.WriteAsync(parsed.Json
                ? EvaluationReport.Json(summary, modelName, evaluation.Notes, written) + Environment.NewLine
                : EvaluationReport.Text(summary, modelName, evaluation.Notes) + string.Concat(written.Select(w => $"wrote {w}{Environment.NewLine}"))).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is LabelException or AnalysisInputException or InferenceException or IOException or UnauthorizedAccessException
                                       or DicomDataException or DicomImagingException or ArgumentException)
        {
            await stderr.WriteLineAsync($"minigptmed evaluate: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static IEnumerable<string> WriteOutputs(string output, EvaluationResult evaluation, EvaluationSummary summary, string model,
        Dicom.Composition.DeviceIdentity device)
    {
        Directory.CreateDirectory(output);
        var csv = Path.Combine(output, "evaluation.csv");
        using (var writer = new StreamWriter(csv))
        {
            EvaluationReport.WriteCsv(writer, evaluation.Images);
        }

        var json = Path.Combine(output, "evaluation.json");
        File.WriteAllText(json, EvaluationReport.Json(summary, model, evaluation.Notes, []));
        var misses = MissCaptures.Write(Path.Combine(output, "misses"), evaluation.Images, model, device, DateTimeOffset.Now);
        return [csv, json, .. misses];
    }
}
