using System.CommandLine;
using System.CommandLine.Parsing;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.Imaging.Volumes;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Output;
using MiniGptMed.Inference.Runtime;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>What <c>analyze</c> was asked, read from its parsed options (<see cref="AnalyzeOptions.Read"/>).</summary>
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
}

/// <summary>
/// The options of <c>analyze</c>. <c>--task</c> repeats or takes a comma list; a <c>--prompt</c> belongs to the
/// <c>--task</c> before it (or, given first, to the next one), so that
/// <c>--task detection --prompt nodule --task vqa --prompt "is there an effusion?"</c> asks both: the pairing follows
/// the order of the tokens, which System.CommandLine keeps in <see cref="ParseResult.Tokens"/>.
/// </summary>
internal sealed class AnalyzeOptions
{
    public Argument<string> Input { get; } = CliOptions.Operand(new Argument<string>("INPUT") { Description = "A DICOM file, a series or study folder, or a PNG/JPEG image." });

    public Option<string[]> Task { get; } = new("--task")
    {
        Description = "What to ask: report, vqa, detection, grounding, refer, identify (repeat, or a comma list).",
        HelpName = "TASK[,TASK]",
        Required = true,
    };

    public Option<string[]> Prompt { get; } = new("--prompt") { Description = "The finding to detect or ground, the question to answer: for the --task before it (repeat).", HelpName = "TEXT" };

    public Option<PixelBox?> Box { get; } = new("--box")
    {
        Description = "The region for identify, in source pixels.",
        HelpName = "X1,Y1,X2,Y2",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (PixelBox.TryParse(text, out var box))
            {
                return box;
            }

            result.AddError($"--box '{text}' is not x1,y1,x2,y2.");
            return null;
        },
    };

    public Option<WindowPreset?> Window { get; } = CliOptions.Window("The window of DICOM input (default: each rule's, else the file's own).");

    public Option<SliceSelection?> Slices { get; } = CliOptions.Slices("Which slices of a CT/MR series (default middle).");

    public Option<string> Out { get; } = new("--out") { Description = "Where the SR, SC and GSPS of DICOM input are written (required for DICOM).", HelpName = "DIR" };

    public Option<bool> Json { get; } = CliOptions.Json();

    public Option<string> Config { get; } = CliOptions.Config();

    public Option<string> Model { get; } = CliOptions.Model();

    public Option<ExecutionProviderKind> Provider { get; } = CliOptions.Provider();

    public Option<int?> MaxNewTokens { get; } = CliOptions.Integer("--max-new-tokens", "N", "The longest answer, in tokens (default: the manifest's).", 1, 100_000);

    public Command CreateCommand(string name, string description)
    {
        var command = new Command(name, description) { Input, Task, Prompt, Box, Window, Slices, Out, Json, Config, Model, Provider, MaxNewTokens };
        Task.Validators.Add(result =>
        {
            foreach (var value in result.Tokens.Select(t => t.Value))
            {
                var tasks = new List<MedTask>();
                if (!CliOptions.TryParseTasks(value, tasks, out var error) || tasks.Count == 0)
                {
                    result.AddError($"--task: {error ?? "needs a task name"}.");
                }
            }
        });
        command.Validators.Add(result =>
        {
            if (result.GetResult(Box) is null && (result.GetValue(Task) ?? []).Any(t => t.Contains("identify", StringComparison.OrdinalIgnoreCase)))
            {
                result.AddError("--task identify needs --box x1,y1,x2,y2.");
            }
        });
        return command;
    }

    /// <summary>The parsed request; a prompt that belongs to no task is a bad argument.</summary>
    public AnalyzeArguments Read(ParseResult parse)
    {
        var box = parse.GetValue(Box);
        var tasks = new List<AnalysisTask>();
        foreach (var (names, prompt) in Pairs(parse.Tokens))
        {
            var list = new List<MedTask>();
            CliOptions.TryParseTasks(names, list, out _);
            foreach (var task in list)
            {
                var item = new AnalysisTask(task, prompt, task == MedTask.Identify ? box : null);
                if (!tasks.Contains(item))
                {
                    tasks.Add(item);
                }
            }
        }

        var output = parse.GetValue(Out);
        var window = parse.GetValue(Window);
        var slices = parse.GetValue(Slices);
        return new AnalyzeArguments(parse.GetValue(Input)!, tasks, parse.GetValue(Json), parse.GetValue(Model) ?? BundledModel.DefaultDirectory(),
            parse.GetValue(Provider), parse.GetValue(MaxNewTokens), output, window, slices ?? AnalyzeArguments.DefaultSlices, parse.GetValue(Config),
            output is not null || window is not null || slices is not null);
    }

    /// <summary>Each <c>--task</c> value with the <c>--prompt</c> after it (or the one given before the first task).</summary>
    private static List<(string Tasks, string? Prompt)> Pairs(IReadOnlyList<Token> tokens)
    {
        var groups = new List<(string Tasks, string? Prompt)>();
        string? pending = null;
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].Type != TokenType.Option)
            {
                continue;
            }

            var value = tokens[i + 1].Value;
            if (tokens[i].Value == "--task")
            {
                groups.Add((value, pending));
                pending = null;
            }
            else if (tokens[i].Value == "--prompt")
            {
                if (groups.Count == 0 || groups[^1].Prompt is not null)
                {
                    // Before any --task, or a second prompt for the same --task: it waits for the next --task.
                    pending = pending is null ? value : throw new CommandLineException("two --prompt options without a --task between them.");
                }
                else
                {
                    groups[^1] = (groups[^1].Tasks, value);
                }
            }
        }

        return pending is null
            ? groups
            : throw new CommandLineException("--prompt after the last --task's prompt: give each --task its own --prompt after it.");
    }
}
