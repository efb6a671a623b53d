using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.Imaging.Volumes;
using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Runtime;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// The options and arguments several verbs take, made in one place so that they are spelt, described and checked the
/// same everywhere (<c>--config</c>, <c>--data</c>, <c>--json</c>, <c>--model</c>, <c>--provider</c>, <c>--window</c>,
/// <c>--slices</c>, <c>--limit</c>, the AE titles and ports). A bad value is one parse error naming the option
/// (exit 2 with the verb's usage); a value parser here is the only one for its kind of value.
/// </summary>
internal static class CliOptions
{
    public static Option<string> Config() =>
        new("--config") { Description = "A configuration file on top of appsettings.json, as serve takes it.", HelpName = "FILE" };

    public static Option<string> Data() =>
        new("--data") { Description = "The node's data folder (Storage:DataDirectory), as serve takes it.", HelpName = "DIR" };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON (camelCase) instead of text." };

    public static Option<string> Model() =>
        new("--model") { Description = $"The model folder (default: ${BundledModel.EnvironmentVariable}, or the bundled models/small).", HelpName = "DIR" };

    public static Option<ExecutionProviderKind> Provider() =>
        Parsed<ExecutionProviderKind>("--provider", "auto|cuda|cpu", "The execution provider: CUDA when it loads, else CPU (auto); or exactly one.",
            text => Enum.TryParse<ExecutionProviderKind>(text, ignoreCase: true, out var kind) && !int.TryParse(text, out _) ? kind : null,
            "is not auto, cuda or cpu");

    /// <summary><c>--window</c>: a preset by name or CENTRE,WIDTH (<see cref="WindowPreset.Parse"/>).</summary>
    public static Option<WindowPreset?> Window(string description) => new("--window")
    {
        Description = description,
        HelpName = "PRESET|C,W",
        CustomParser = result =>
        {
            try
            {
                return WindowPreset.Parse(Text(result));
            }
            catch (FormatException ex)
            {
                result.AddError($"--window: {ex.Message}");
                return null;
            }
        },
    };

    /// <summary><c>--slices</c>: all, middle, even:N or every:K (a position range needs the rule's geometry; rules take it).</summary>
    public static Option<SliceSelection?> Slices(string description) => new("--slices")
    {
        Description = description,
        HelpName = "all|middle|even:N|every:K",
        CustomParser = result =>
        {
            var text = Text(result);
            try
            {
                if (!text.Trim().StartsWith("range", StringComparison.OrdinalIgnoreCase))
                {
                    return SliceSelection.Parse(text);
                }
            }
            catch (FormatException)
            {
            }

            result.AddError($"--slices '{text}' is not all, middle, even:N or every:K.");
            return null;
        },
    };

    public static Option<int?> Limit(int fallback, int maximum) =>
        Integer("--limit", "N", $"At most N rows (default {fallback.ToString(CultureInfo.InvariantCulture)}).", 1, maximum);

    /// <summary>An integer option checked against its range: <c>--parallel must be an integer 1..64, not '0'.</c></summary>
    public static Option<int?> Integer(string name, string helpName, string description, int minimum, int maximum) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            var text = Text(result);
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum)
            {
                return value;
            }

            result.AddError($"{name} must be an integer {minimum.ToString(CultureInfo.InvariantCulture)}..{maximum.ToString(CultureInfo.InvariantCulture)}, not '{text}'.");
            return null;
        },
    };

    /// <summary>An AE title option (PS3.5 6.2: 1-16 characters of the default repertoire, no backslash, not all spaces), trimmed.</summary>
    public static Option<string> AeTitle(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "AE",
        CustomParser = result =>
        {
            var text = Text(result);
            if (Dicom.Network.AeTitle.IsValid(text))
            {
                return text.Trim();
            }

            result.AddError($"{name} '{text}' is not an AE title ({Dicom.Network.AeTitle.Rule}).");
            return null;
        },
    };

    /// <summary>Accepts only <paramref name="values"/> (any case); another value is refused naming the option and the choices.</summary>
    public static Option<string> OneOf(this Option<string> option, params string[] values)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } text && !values.Contains(text, StringComparer.OrdinalIgnoreCase))
            {
                result.AddError($"{option.Name} '{text}' is not {string.Join(", ", values[..^1])}{(values.Length > 1 ? " or " : "")}{values[^1]}.");
            }
        });
        return option;
    }

    /// <summary>A TCP port operand, 1-65535.</summary>
    public static Argument<int> Port(string description) => Operand(new Argument<int>("PORT")
    {
        Description = description,
        CustomParser = result =>
        {
            var text = Text(result);
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
            {
                return port;
            }

            result.AddError($"PORT '{text}' is not a TCP port (1-65535).");
            return 0;
        },
    });

    /// <summary>A comma list of model tasks (<c>detection,refer</c>), in order, without repeats.</summary>
    public static bool TryParseTasks(string text, List<MedTask> into, out string? error)
    {
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!MedTaskExtensions.TryParse(name, out var task))
            {
                error = $"unknown task '{name}' (report, vqa, detection, grounding, refer, identify)";
                return false;
            }

            if (!into.Contains(task))
            {
                into.Add(task);
            }
        }

        error = null;
        return true;
    }

    /// <summary>
    /// A positional argument that refuses an option it does not know: without this, a mistyped <c>--jsn</c> would be
    /// taken as the file name. The message suggests the nearest option of the verb, as System.CommandLine does for
    /// tokens left over.
    /// </summary>
    public static T Operand<T>(T argument) where T : Argument
    {
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Select(t => t.Value).Where(v => v.StartsWith("--", StringComparison.Ordinal) && v.Length > 2))
            {
                result.AddError(result.Parent is CommandResult command && Suggest(command.Command, token) is { } closest
                    ? $"Unrecognized option '{token}'. Did you mean '{closest}'?"
                    : $"Unrecognized option '{token}'.");
            }
        });
        return argument;
    }

    /// <summary>
    /// The option (for a token starting with '-') or the sub-command of <paramref name="command"/> nearest to a mistyped
    /// <paramref name="token"/>, within 3 edits; null when nothing is that near (a value is not matched to <c>-h</c>).
    /// </summary>
    public static string? Suggest(Command command, string token)
    {
        var names = token.StartsWith('-')
            ? command.Options.Where(o => !o.Hidden).Select(o => o.Name)
            : command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
        return names.Select(name => (Name: name, Distance: Distance(name, token))).Where(n => n.Distance <= 3)
            .OrderBy(n => n.Distance).Select(n => n.Name).FirstOrDefault();
    }

    /// <summary>An option whose text maps to a value through <paramref name="parse"/> (null: refused with "--name 'x' <paramref name="problem"/>").</summary>
    private static Option<T> Parsed<T>(string name, string helpName, string description, Func<string, T?> parse, string problem) where T : struct => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            var text = Text(result);
            if (parse(text) is { } value)
            {
                return value;
            }

            result.AddError($"{name} '{text}' {problem}.");
            return default;
        },
    };

    /// <summary>The value given (arity is checked by the parser before a custom parser runs; empty if it was not).</summary>
    private static string Text(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";

    /// <summary>Levenshtein distance, for "did you mean".</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
