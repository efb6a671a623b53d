namespace MiniGptMed.DicomNode.Cli;

/// <summary>Entry point of the <c>minigptmed</c> executable: dispatches the verb to its command.</summary>
internal static class CommandLine
{
    private static readonly Dictionary<string, ICommand> Commands = new(StringComparer.Ordinal);

    internal static void Register(ICommand command) => Commands[command.Name] = command;

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <summary>Runs one verb with its output on the given writers (tests read them): exit code 2 for bad arguments.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        RegisterAll();
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(stdout);
            return args.Length == 0 ? 2 : 0;
        }

        if (!Commands.TryGetValue(args[0], out var command))
        {
            stderr.WriteLine($"minigptmed: unknown command '{args[0]}'.");
            PrintUsage(stderr);
            return 2;
        }

        try
        {
            return await command.RunAsync(args[1..], stdout, stderr, CancellationToken.None).ConfigureAwait(false);
        }
        catch (CommandLineException ex)
        {
            stderr.WriteLine($"minigptmed {command.Name}: {ex.Message}");
            stderr.WriteLine($"usage: minigptmed {command.Usage}");
            return 2;
        }
    }

    private static void RegisterAll()
    {
        if (Commands.Count > 0)
        {
            return;
        }

        foreach (var command in AllCommands.Create())
        {
            Register(command);
        }
    }

    private static void PrintUsage(TextWriter writer)
    {
        writer.WriteLine("usage: minigptmed <command> [options]");
        writer.WriteLine();
        foreach (var command in Commands.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            writer.WriteLine($"  {command.Usage}");
            writer.WriteLine($"      {command.Summary}");
        }
    }
}

/// <summary>One verb of the CLI.</summary>
internal interface ICommand
{
    string Name { get; }

    string Usage { get; }

    string Summary { get; }

    Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken);
}

/// <summary>Bad command-line arguments: printed with the command's usage, exit code 2.</summary>
internal sealed class CommandLineException(string message) : Exception(message);
