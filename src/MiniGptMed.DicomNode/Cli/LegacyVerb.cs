using System.CommandLine;
using System.CommandLine.Parsing;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// Puts an <see cref="ICommand"/> (a verb with its own argument parser) into the System.CommandLine tree. Its options
/// are declared here, so help is generated and a mistyped option is refused with a suggestion before the verb runs;
/// the verb then parses the same tokens itself (its checks and messages stay as they were). A verb not declared here
/// (a new one added to <see cref="AllCommands"/>) still runs: its tokens pass through, its usage line is its help.
/// </summary>
internal static class LegacyVerb
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Command, string> Usages = [];

    private sealed record Declared(string[] Arguments, (string Name, string Help, string Description)[] Options, string[] Flags);

    private static readonly (string, string, string)[] Tls =
    [
        ("--tls-ca", "CA.pem", "DICOM TLS (PS3.15 B.9): the CAs (PEM) the peer's certificate must chain to."),
        ("--tls-cert", "CERT.pem", "DICOM TLS: our certificate (PEM), when the peer asks for one."),
        ("--tls-key", "KEY.pem", "DICOM TLS: our key (PEM)."),
    ];

    private static readonly (string, string, string)[] Database =
    [
        ("--config", "FILE", "A configuration file, as serve takes it."),
        ("--data", "DIR", "The node's data folder (Storage:DataDirectory), as serve takes it."),
    ];

    private static readonly Dictionary<string, Declared> Verbs = new(StringComparer.Ordinal)
    {
        ["version"] = new([], [], []),
        ["dump"] = new(["FILE"], [], ["--json"]),
        ["echo"] = new(["HOST", "PORT"],
            [("--aet", "AE", "Our (calling) AE title; default MINIGPTMED."), ("--aec", "AE", "The called AE title; default MINIGPTMED."), .. Tls], []),
        ["send"] = new(["HOST", "PORT", "PATH"],
            [("--aet", "AE", "Our (calling) AE title; default MINIGPTMED."), ("--aec", "AE", "The called AE title; default MINIGPTMED."),
             ("--parallel", "N", "Associations at once."), .. Tls], []),
        ["serve"] = new([],
            [("--config", "FILE", "A configuration file on top of appsettings.json."), ("--port", "PORT", "The DICOM port (Reception:Port)."),
             ("--aet", "AE", "Answer this AE title alone for this run (its settings still come from the database)."),
             ("--data", "DIR", "The data folder (Storage:DataDirectory)."), ("--flush", "on|off", "fsync each stored instance (Storage:FlushToDisk).")], []),
        ["analyze"] = new(["INPUT"],
            [("--task", "TASK[,TASK]", "report, vqa, detection, grounding, refer, identify."), ("--prompt", "TEXT", "The finding to detect, the question to answer."),
             ("--box", "X1,Y1,X2,Y2", "The region for refer/identify."), ("--window", "PRESET|C,W", "The window of DICOM input."),
             ("--slices", "SELECTION", "all, middle, even:N, every:K."), ("--out", "DIR", "Where the results go."), ("--config", "FILE", "A configuration file."),
             ("--model", "DIR", "The model folder."), ("--provider", "auto|cuda|cpu", "The execution provider."), ("--max-new-tokens", "N", "The longest answer.")],
            ["--json"]),
        ["render"] = new(["FILE"],
            [("--frame", "N", "The frame (1-based)."), ("--window", "PRESET|CENTRE,WIDTH", "The window."), ("--out", "FILE.png", "The PNG written.")], ["--timings"]),
        ["studies"] = new(["COMMAND", "UID"],
            [("--state", "STATE", "Only groups in this state."), ("--limit", "N", "At most N rows."), .. Database], ["--json"]),
        ["jobs"] = new(["COMMAND", "ID"],
            [("--state", "STATE[,STATE]", "Only jobs in these states."), ("--kind", "KIND", "Only jobs of this kind."), ("--limit", "N", "At most N rows."), .. Database],
            ["--json"]),
        ["user"] = new(["COMMAND", "NAME"],
            [("--role", "admin|viewer", "The user's role (add): a viewer reads, an admin also changes."), .. Database],
            ["--json", "--password-stdin"]),
        ["worklist"] = new([],
            [("--ae", "AE", "Only studies received by this AE."), ("--modality", "M", "Only studies of this modality."),
             ("--priority", "stat|urgent|failed|routine", "Only studies of this priority."), ("--state", "STATE", "Only studies in this state."),
             ("--limit", "N", "At most N rows."), .. Database],
            ["--json"]),
        ["evaluate"] = new(["DIR"],
            [("--labels", "FILE", "The labels (JSON; docs/validation.md)."), ("--tasks", "TASK[,TASK]", "detection, refer, grounding, identify, vqa, report."),
             ("--out", "DIR", "Where evaluation.csv, evaluation.json and the SC of the misses go."), ("--model", "DIR", "The model folder."),
             ("--window", "PRESET|C,W", "The window of DICOM input."), ("--slices", "SELECTION", "all, middle, even:N, every:K."),
             ("--config", "FILE", "A configuration file."), ("--provider", "auto|cuda|cpu", "The execution provider.")],
            ["--json"]),
    };

    /// <summary>The verb's own usage line, for a command made here.</summary>
    public static string? UsageOf(Command command)
    {
        return Usages.TryGetValue(command, out var usage) ? usage : null;
    }

    public static Command Create(ICommand verb, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var command = new Command(verb.Name, $"{verb.Summary}\nusage: minigptmed {verb.Usage}");
        var operands = new Argument<string[]>(Verbs.TryGetValue(verb.Name, out var declared) && declared.Arguments.Length > 0 ? string.Join(' ', declared.Arguments) : "ARGUMENTS")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "As the usage line says.",
        };
        command.Arguments.Add(operands);
        if (declared is null)
        {
            // Not declared: every token is the verb's to parse.
            command.TreatUnmatchedTokensAsErrors = false;
        }
        else
        {
            foreach (var (name, help, description) in declared.Options)
            {
                command.Options.Add(new Option<string>(name) { HelpName = help, Description = description });
            }

            foreach (var flag in declared.Flags)
            {
                command.Options.Add(new Option<bool>(flag) { Description = flag == "--json" ? "Print JSON." : "Print timings." });
            }

            var known = declared.Options.Select(o => o.Name).Concat(declared.Flags).ToList();
            operands.Validators.Add(result =>
            {
                // An unknown option would otherwise be taken as an operand.
                foreach (var token in result.Tokens.Select(t => t.Value).Where(v => v.StartsWith("--", StringComparison.Ordinal) && v.Length > 2))
                {
                    var closest = known.OrderBy(k => Distance(k, token)).FirstOrDefault();
                    result.AddError(closest is not null && Distance(closest, token) <= 3
                        ? $"Unrecognized option '{token}'. Did you mean '{closest}'?"
                        : $"Unrecognized option '{token}'.");
                }
            });
        }

        Usages.AddOrUpdate(command, verb.Usage);

        command.SetAction(async (parse, cancellationToken) =>
        {
            // The verb parses the tokens after its name itself, exactly as it always did.
            var index = Array.IndexOf(args, verb.Name);
            try
            {
                return await verb.RunAsync(args[(index + 1)..], stdout, stderr, cancellationToken).ConfigureAwait(false);
            }
            catch (CommandLineException ex)
            {
                stderr.WriteLine($"minigptmed {verb.Name}: {ex.Message}");
                stderr.WriteLine($"usage: minigptmed {verb.Usage}");
                return CommandLine.BadArguments;
            }
        });
        return command;
    }

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
