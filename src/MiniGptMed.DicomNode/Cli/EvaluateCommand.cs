using System.CommandLine;
using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.Imaging.Volumes;
using MiniGptMed.Inference.Model;
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
internal static class EvaluateCommand
{
    /// <summary>What evaluate was asked. Slices default to all: labels name frames, and every labelled frame must be analysed.</summary>
    private sealed record Request(string Directory, string Labels, IReadOnlyList<MedTask> Tasks, string? OutputDirectory, bool Json, string ModelDirectory,
        WindowPreset? Window, SliceSelection Slices, string? ConfigFile, ExecutionProviderKind Provider);

    public static Command Create(CliContext cli)
    {
        var directory = CliOptions.Operand(new Argument<string>("DIR") { Description = "The labelled DICOM set (files, or folders of them)." });
        var labels = new Option<string>("--labels") { Description = "The labels (JSON; docs/validation.md).", HelpName = "FILE", Required = true };
        // --task as analyze and the rules spell it; --tasks, its first name here, still works.
        var tasks = new Option<string[]>("--task", "--tasks")
        {
            Description = "The tasks measured: detection, refer, grounding, identify, vqa, report (repeat, or a comma list; default all).",
            HelpName = "TASK[,TASK]",
        };
        tasks.Validators.Add(result =>
        {
            var list = new List<MedTask>();
            foreach (var value in result.Tokens.Select(t => t.Value))
            {
                if (!CliOptions.TryParseTasks(value, list, out var error))
                {
                    result.AddError($"--task: {error}.");
                }
            }

            if (list.Count == 0 && result.Tokens.Count > 0)
            {
                result.AddError("--task needs at least one task.");
            }
        });
        var output = new Option<string>("--out") { Description = "Where evaluation.csv, evaluation.json and the SC of the misses (misses/) go.", HelpName = "DIR" };
        var json = CliOptions.Json();
        var model = CliOptions.Model();
        var window = CliOptions.Window("The window of every image (default: the file's own).");
        var slices = CliOptions.Slices("Which slices of a volume (default all: every labelled frame is analysed).");
        var config = CliOptions.Config();
        var provider = CliOptions.Provider();
        var command = new Command("evaluate",
            "Measure the model through the node's analysis path on a labelled DICOM set (IoU, matched share, accuracy, ROUGE-L, BLEU-4).")
        {
            directory, labels, tasks, output, json, model, window, slices, config, provider,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var chosen = new List<MedTask>();
            foreach (var value in parse.GetValue(tasks) ?? [])
            {
                CliOptions.TryParseTasks(value, chosen, out _);
            }

            return RunAsync(new Request(parse.GetValue(directory)!, parse.GetValue(labels)!, chosen.Count > 0 ? chosen : Evaluator.AllTasks, parse.GetValue(output),
                parse.GetValue(json), parse.GetValue(model) ?? BundledModel.DefaultDirectory(), parse.GetValue(window), parse.GetValue(slices) ?? SliceSelection.All,
                parse.GetValue(config), parse.GetValue(provider)), cli.Out, cli.Error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(Request parsed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
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
