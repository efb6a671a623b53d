using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.Imaging.Volumes;
using MiniGptMed.DicomNode.Validation;
using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Runtime;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// The arguments of <c>evaluate DIR --labels FILE [--tasks LIST] [--out DIR] [--json] [--model DIR] [--window PRESET]
/// [--slices SELECTION] [--config FILE] [--provider KIND]</c>. Slices default to all: labels name frames, and every
/// labelled frame must be analysed.
/// </summary>
internal sealed record EvaluateArguments(
    string Directory,
    string Labels,
    IReadOnlyList<MedTask> Tasks,
    string? OutputDirectory,
    bool Json,
    string ModelDirectory,
    WindowPreset? Window,
    SliceSelection Slices,
    string? ConfigFile,
    ExecutionProviderKind Provider)
{
    public const string Usage =
        "evaluate DIR --labels FILE [--tasks detection,refer,grounding,identify,vqa,report] [--out DIR] [--json] [--model DIR] [--window PRESET|C,W] [--slices all|middle|even:N|every:K] [--config FILE] [--provider auto|cuda|cpu]";

    public static EvaluateArguments Parse(string[] args)
    {
        string? directory = null, labels = null, output = null, model = null, config = null;
        IReadOnlyList<MedTask> tasks = Evaluator.AllTasks;
        WindowPreset? window = null;
        var slices = SliceSelection.All;
        var json = false;
        var provider = ExecutionProviderKind.Auto;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new CommandLineException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--labels":
                    labels = Value();
                    break;
                case "--tasks":
                    tasks = ParseTasks(Value());
                    break;
                case "--out":
                    output = Value();
                    break;
                case "--json":
                    json = true;
                    break;
                case "--model":
                    model = Value();
                    break;
                case "--config":
                    config = Value();
                    break;
                case "--window":
                    window = AnalyzeArguments.ParseWindow(Value());
                    break;
                case "--slices":
                    slices = AnalyzeArguments.ParseSlices(Value());
                    break;
                case "--provider":
                    provider = AnalyzeArguments.ParseProvider(Value());
                    break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal) || directory is not null)
                    {
                        throw new CommandLineException($"unexpected argument '{args[i]}'");
                    }

                    directory = args[i];
                    break;
            }
        }

        if (directory is null)
        {
            throw new CommandLineException("DIR (the labelled DICOM set) is required");
        }

        if (labels is null)
        {
            throw new CommandLineException("--labels FILE is required");
        }

        return new EvaluateArguments(directory, labels, tasks, output, json, model ?? BundledModel.DefaultDirectory(), window, slices, config, provider);
    }

    private static List<MedTask> ParseTasks(string text)
    {
        var tasks = new List<MedTask>();
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var task = MedTaskExtensions.TryParse(name, out var t) ? t : throw new CommandLineException($"unknown task '{name}'");
            if (!tasks.Contains(task))
            {
                tasks.Add(task);
            }
        }

        return tasks.Count > 0 ? tasks : throw new CommandLineException("--tasks needs at least one task");
    }
}
