using System.Text.Json;
using MiniGptMed.DicomNode.Cli.Admin;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Http.Security;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// <c>minigptmed user add NAME --role admin|viewer [--password-stdin] | key NAME | list [--json] | remove NAME</c>: the
/// local users of the admin console and API, in the node's database (same <c>--config</c>/<c>--data</c> as
/// <c>serve</c>). The password is read without echo from the terminal (twice), or as one line from standard input
/// with <c>--password-stdin</c>; it is never an argument (argument lists are visible to every user in /proc).
/// Exit codes: 0 done, 1 failed (exists, not found, database), 2 bad arguments.
/// </summary>
internal sealed class UserCommand(TextReader? stdin = null) : ICommand
{
    public string Name => "user";

    public string Usage => "user add NAME --role admin|viewer [--password-stdin] | key NAME | list [--json] | remove NAME  [--config FILE] [--data DIR]";

    public string Summary => "Manage the admin console's users (PBKDF2 password hashes) and print API keys for scripts.";

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var passwordStdin = args.Contains("--password-stdin");
        var arguments = new AdminArguments([.. args.Where(a => a != "--password-stdin")], "--role");
        if (passwordStdin && arguments.SubCommand != "add")
        {
            throw new CommandLineException($"--password-stdin does not apply to '{arguments.SubCommand}'.");
        }

        Func<NodeDatabase, Task<int>> action = arguments.SubCommand switch
        {
            "add" => Add(arguments, passwordStdin, stdout, stderr, cancellationToken),
            "key" => Key(arguments, stdout, stderr, cancellationToken),
            "list" => List(arguments, stdout, cancellationToken),
            "remove" => Remove(arguments, stdout, stderr, cancellationToken),
            var other => throw new CommandLineException($"unknown sub-command '{other}' (add, key, list, remove)."),
        };
        // add creates the database if the node has not started yet: users are made before the console is opened.
        return await NodeDatabaseAccess.RunAsync(Name, arguments.ConfigFile, arguments.DataDirectory, stderr, action,
            createIfMissing: arguments.SubCommand == "add").ConfigureAwait(false);
    }

    private Func<NodeDatabase, Task<int>> Add(AdminArguments arguments, bool passwordStdin, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var name = UserName(arguments);
        var role = arguments.Get("--role") ?? throw new CommandLineException("add needs --role admin or --role viewer.");
        if (!Roles.IsRole(role))
        {
            throw new CommandLineException($"--role '{role}' is not admin or viewer.");
        }

        var password = passwordStdin ? ReadLine() : Prompt(stderr);
        if (PasswordHashing.Check(password) is { } problem)
        {
            throw new CommandLineException($"the password {problem}");
        }

        // Hashed before the database opens: 600,000 iterations take a moment, and nothing else needs the password.
        var hash = PasswordHashing.Hash(password);
        return async database =>
        {
            if (!await database.Users.AddAsync(name, role, hash, cancellationToken).ConfigureAwait(false))
            {
                stderr.WriteLine($"minigptmed user: user '{name}' exists.");
                return 1;
            }

            stdout.WriteLine($"user '{name}' added with role {role}.");
            return 0;
        };
    }

    private static Func<NodeDatabase, Task<int>> Key(AdminArguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        arguments.Refuse("--role");
        var name = UserName(arguments);
        return async database =>
        {
            var key = ApiKeys.Create();
            if (!await database.Users.AddKeyAsync(name, ApiKeys.HashOf(key), cancellationToken).ConfigureAwait(false))
            {
                stderr.WriteLine($"minigptmed user: user '{name}' not found.");
                return 1;
            }

            // The key alone on stdout (scripts capture it); it is not stored and cannot be shown again.
            stdout.WriteLine(key);
            return 0;
        };
    }

    private static Func<NodeDatabase, Task<int>> List(AdminArguments arguments, TextWriter stdout, CancellationToken cancellationToken)
    {
        arguments.Refuse("--role");
        arguments.Operands(0, "no argument");
        return async database =>
        {
            var users = await database.Users.ListAsync(cancellationToken).ConfigureAwait(false);
            if (arguments.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(users.ToList(), UserJsonContext.Default.ListNodeUser));
                return 0;
            }

            TextTable.Write(stdout, ["NAME", "ROLE", "CREATED", "API KEYS"],
                users.Select(u => new[] { u.Name, u.Role, u.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), u.ApiKeys.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToList());
            return 0;
        };
    }

    private static Func<NodeDatabase, Task<int>> Remove(AdminArguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        arguments.Refuse("--role");
        var name = UserName(arguments);
        return async database =>
        {
            if (!await database.Users.RemoveAsync(name, cancellationToken).ConfigureAwait(false))
            {
                stderr.WriteLine($"minigptmed user: user '{name}' not found.");
                return 1;
            }

            stdout.WriteLine($"user '{name}' removed with its API keys; its console sessions end at their next request.");
            return 0;
        };
    }

    private static string UserName(AdminArguments arguments)
    {
        var name = arguments.Operands(1, "a user name")[0];
        return UserNames.Check(name) is { } problem ? throw new CommandLineException($"user name {problem}") : name;
    }

    private string ReadLine() => (stdin ?? Console.In).ReadLine() ?? throw new CommandLineException("--password-stdin: standard input is empty.");

    /// <summary>Twice, without echo, from the terminal.</summary>
    private string Prompt(TextWriter stderr)
    {
        if (stdin is not null || Console.IsInputRedirected)
        {
            throw new CommandLineException("standard input is not a terminal: give the password on it with --password-stdin.");
        }

        var first = ReadHidden(stderr, "Password: ");
        var second = ReadHidden(stderr, "Again: ");
        return first == second ? first : throw new CommandLineException("the two passwords differ.");
    }

    private static string ReadHidden(TextWriter stderr, string prompt)
    {
        stderr.Write(prompt);
        var text = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                stderr.WriteLine();
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                text.Length = Math.Max(0, text.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar) && text.Length < PasswordHashing.MaximumLength)
            {
                text.Append(key.KeyChar);
            }
        }
    }
}

/// <summary>Source-generated JSON for <c>user list --json</c>.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<NodeUser>))]
internal sealed partial class UserJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
