using System.CommandLine;
using System.CommandLine.Invocation;
using MiniGptMed.DicomNode.Cli.Config;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// Entry point of the <c>minigptmed</c> executable, on System.CommandLine: one tree of verbs with generated help
/// (<c>-h</c> on any verb), typo suggestions, and the exit codes of every verb kept: 0 done, 1 failed, 2 bad
/// arguments (a parse error prints the error, the suggestion and the verb's usage on stderr; stdout stays empty).
/// </summary>
internal static class CommandLine
{
    public const int Ok = 0;

    public const int Failed = 1;

    public const int BadArguments = 2;

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <summary>Runs one verb with its output on the given writers (tests read them).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = Build(args, stdout, stderr);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // The errors and "did you mean" go to stderr, with the usage of the verb that was meant.
            if (parse.Action is ParseErrorAction errorAction)
            {
                errorAction.ShowHelp = false;
                errorAction.ShowTypoCorrections = true;
            }

            await parse.InvokeAsync(new InvocationConfiguration { Output = stderr, Error = stderr }).ConfigureAwait(false);
            stderr.WriteLine($"usage: minigptmed {Usage(parse.CommandResult.Command)}");
            return BadArguments;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }).ConfigureAwait(false);
    }

    /// <summary>The whole tree: the verbs of <see cref="AllCommands"/> and the configuration verbs.</summary>
    internal static RootCommand Build(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("minigptmed: a DICOM node that runs MiniGPT-Med on the studies it receives, and its tools.");
        foreach (var command in AllCommands.Create())
        {
            root.Subcommands.Add(LegacyVerb.Create(command, args, stdout, stderr));
        }

        foreach (var command in ConfigCommands.Create(new CliContext(stdout, stderr)))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    private static string Usage(Command command)
    {
        if (LegacyVerb.UsageOf(command) is { } usage)
        {
            return usage;
        }

        var path = new List<string>();
        for (var c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            path.Insert(0, c.Name);
        }

        return path.Count == 0
            ? "<command> [options]  (minigptmed --help lists the commands)"
            : $"{string.Join(' ', path)}{string.Concat(command.Arguments.Select(a => $" {a.Name}"))}{(command.Subcommands.Count > 0 ? " <command>" : "")} [options]  (minigptmed {string.Join(' ', path)} --help)";
    }
}

/// <summary>One verb of the CLI written against its own argument parser; <see cref="LegacyVerb"/> puts it in the tree.</summary>
internal interface ICommand
{
    string Name { get; }

    string Usage { get; }

    string Summary { get; }

    Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken);
}

/// <summary>Bad command-line arguments: printed with the command's usage, exit code 2.</summary>
internal sealed class CommandLineException(string message) : Exception(message);
