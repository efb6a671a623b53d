using System.CommandLine;
using System.CommandLine.Invocation;
using MiniGptMed.DicomNode.Cli.Config;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// Entry point of the <c>minigptmed</c> executable, on System.CommandLine: one tree of verbs with generated help
/// (<c>-h</c> on any verb), typo suggestions, and the exit codes of every verb: 0 done, 1 failed, 2 bad arguments
/// (a parse error or a value a validator refused prints the error, any suggestion and the verb's usage on stderr;
/// stdout stays empty).
/// </summary>
internal static class CommandLine
{
    public const int Ok = 0;

    public const int Failed = 1;

    public const int BadArguments = 2;

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <summary>Runs one verb with its output on the given writers and, if given, its input from <paramref name="stdin"/> (tests).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader? stdin = null, CancellationToken cancellationToken = default)
    {
        var root = Build(new CliContext(stdout, stderr, stdin));
        // No response files: an argument starting with @ is a value (a path, a prompt), as it always was.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            // The errors and "did you mean" go to stderr, with the usage of the verb that was meant. The suggestions are
            // ours (CliOptions.Suggest): the same words as for an option taken as an operand, and none for a value.
            if (parse.Action is ParseErrorAction errorAction)
            {
                errorAction.ShowHelp = false;
                errorAction.ShowTypoCorrections = false;
            }

            await parse.InvokeAsync(new InvocationConfiguration { Output = stderr, Error = stderr }, cancellationToken).ConfigureAwait(false);
            foreach (var token in parse.UnmatchedTokens)
            {
                if (CliOptions.Suggest(parse.CommandResult.Command, token) is { } suggestion)
                {
                    stderr.WriteLine($"'{token}': did you mean '{suggestion}'?");
                }
            }

            stderr.WriteLine($"usage: minigptmed {Usage(parse.CommandResult.Command)}");
            return BadArguments;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandLineException ex)
        {
            // A bad argument only the verb could see (a PNG given DICOM options, a password too short).
            stderr.WriteLine($"minigptmed {string.Join(' ', PathOf(parse.CommandResult.Command))}: {ex.Message}");
            stderr.WriteLine($"usage: minigptmed {Usage(parse.CommandResult.Command)}");
            return BadArguments;
        }
    }

    /// <summary>The whole tree of verbs.</summary>
    internal static RootCommand Build(CliContext cli)
    {
        var root = new RootCommand("minigptmed: a DICOM node that runs MiniGPT-Med on the studies it receives, and its tools.");
        Command[] verbs =
        [
            VersionCommand.Create(cli),
            ServeCommand.Create(cli),
            EchoCommand.Create(cli),
            SendCommand.Create(cli),
            DumpCommand.Create(cli),
            RenderCommand.Create(cli),
            AnalyzeCommand.Create(cli),
            EvaluateCommand.Create(cli),
            StudiesCommand.Create(cli),
            JobsCommand.Create(cli),
            WorklistCommand.Create(cli),
            UserCommand.Create(cli),
            .. ConfigCommands.Create(cli),
        ];
        foreach (var verb in verbs)
        {
            root.Subcommands.Add(verb);
        }

        return root;
    }

    /// <summary>The usage line of a verb: its path, its arguments, and where its help is.</summary>
    internal static string Usage(Command command)
    {
        var path = PathOf(command);
        if (path.Count == 0)
        {
            return "<command> [options]  (minigptmed --help lists the commands)";
        }

        var arguments = string.Concat(command.Arguments.Select(a => a.Arity.MinimumNumberOfValues == 0 ? $" [{a.Name}...]" : a.Arity.MaximumNumberOfValues > 1 ? $" {a.Name}..." : $" {a.Name}"));
        var joined = string.Join(' ', path);
        return $"{joined}{arguments}{(command.Subcommands.Count > 0 ? " <command>" : "")} [options]  (minigptmed {joined} --help)";
    }

    private static List<string> PathOf(Command command)
    {
        var path = new List<string>();
        for (var c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            path.Insert(0, c.Name);
        }

        return path;
    }
}

/// <summary>A bad argument found while a verb runs (not by the parser): printed with the verb's usage, exit code 2.</summary>
internal sealed class CommandLineException(string message) : Exception(message);
