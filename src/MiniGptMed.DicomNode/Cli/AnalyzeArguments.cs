using System.Globalization;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.Imaging.Volumes;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Output;
using MiniGptMed.Inference.Runtime;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// The arguments of <c>analyze</c>. <c>--task</c> repeats or takes a comma list; a <c>--prompt</c> belongs to the
/// <c>--task</c> before it (or, given first, to the next one), so that
/// <c>--task detection --prompt nodule --task vqa --prompt "is there an effusion?"</c> asks both.
/// </summary>
internal sealed record AnalyzeArguments(
    string Input,
    IReadOnlyList<AnalysisTask> Tasks,
    bool Json,
    string ModelDirectory,
    ExecutionProviderKind Provider,
    int? MaxNewTokens,
    string? OutputDirectory,
    WindowPreset? Window,
    SliceSelection Slices,
    string? ConfigFile,
    bool PixelOptionsGiven)
{
    /// <summary>Default slice selection: the middle slice of each volume (one image per CT/MR series, cheap on a CPU).</summary>
    public static readonly SliceSelection DefaultSlices = SliceSelection.Middle;

    public static AnalyzeArguments Parse(string[] args)
    {
        string? input = null, model = null, output = null, config = null, pendingPrompt = null;
        var groups = new List<(List<MedTask> Tasks, string? Prompt)>();
        PixelBox? box = null;
        WindowPreset? window = null;
        SliceSelection? slices = null;
        var json = false;
        int? maxNew = null;
        var provider = ExecutionProviderKind.Auto;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new CommandLineException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--task":
                    var list = new List<MedTask>();
                    foreach (var name in Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        list.Add(MedTaskExtensions.TryParse(name, out var parsedTask) ? parsedTask : throw new CommandLineException($"unknown task '{name}'"));
                    }

                    if (list.Count == 0)
                    {
                        throw new CommandLineException("--task needs a task name");
                    }

                    groups.Add((list, pendingPrompt));
                    pendingPrompt = null;
                    break;
                case "--prompt":
                    var prompt = Value();
                    if (groups.Count == 0 || groups[^1].Prompt is not null)
                    {
                        // Before any --task, or a second prompt for the same --task: it waits for the next --task.
                        pendingPrompt = pendingPrompt is null ? prompt : throw new CommandLineException("two --prompt options without a --task between them");
                    }
                    else
                    {
                        groups[^1] = (groups[^1].Tasks, prompt);
                    }

                    break;
                case "--box":
                    var b = Value();
                    box = PixelBox.TryParse(b, out var parsedBox) ? parsedBox : throw new CommandLineException($"--box '{b}' is not x1,y1,x2,y2");
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
                case "--out":
                    output = Value();
                    break;
                case "--window":
                    window = ParseWindow(Value());
                    break;
                case "--slices":
                    var s = Value();
                    slices = s.Trim().StartsWith("range", StringComparison.OrdinalIgnoreCase)
                        ? throw new CommandLineException("--slices takes all, middle, even:N or every:K")
                        : ParseSlices(s);
                    break;
                case "--provider":
                    provider = ParseProvider(Value());
                    break;
                case "--max-new-tokens":
                    var m = Value();
                    maxNew = int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                        ? n
                        : throw new CommandLineException($"--max-new-tokens '{m}' is not a positive integer");
                    break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal) || input is not null)
                    {
                        throw new CommandLineException($"unexpected argument '{args[i]}'");
                    }

                    input = args[i];
                    break;
            }
        }

        if (input is null)
        {
            throw new CommandLineException("FILE.dcm, DIR or IMAGE is required");
        }

        if (groups.Count == 0)
        {
            throw new CommandLineException("--task is required");
        }

        if (pendingPrompt is not null)
        {
            throw new CommandLineException("--prompt after the last --task's prompt: give each --task its own --prompt after it");
        }

        var tasks = new List<AnalysisTask>();
        foreach (var (list, prompt) in groups)
        {
            foreach (var task in list)
            {
                if (task == MedTask.Identify && box is null)
                {
                    throw new CommandLineException("--task identify needs --box x1,y1,x2,y2");
                }

                var item = new AnalysisTask(task, prompt, task == MedTask.Identify ? box : null);
                if (!tasks.Contains(item))
                {
                    tasks.Add(item);
                }
            }
        }

        return new AnalyzeArguments(input, tasks, json, model ?? BundledModel.DefaultDirectory(), provider, maxNew, output, window,
            slices ?? DefaultSlices, config, output is not null || window is not null || slices is not null);
    }

    /// <summary>A window preset or centre,width (shared with <c>evaluate</c>).</summary>
    internal static WindowPreset ParseWindow(string text)
    {
        try
        {
            return WindowPreset.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new CommandLineException(ex.Message);
        }
    }

    internal static ExecutionProviderKind ParseProvider(string text) =>
        Enum.TryParse<ExecutionProviderKind>(text, ignoreCase: true, out var parsed)
            ? parsed
            : throw new CommandLineException($"unknown provider '{text}' (auto, cuda, cpu)");

    internal static SliceSelection ParseSlices(string text)
    {
        try
        {
            return SliceSelection.Parse(text);
        }
        catch (FormatException)
        {
            throw new CommandLineException($"--slices '{text}' is not all, middle, even:N or every:K");
        }
    }
}
