using System.CommandLine;
using System.Text.Json;
using MiniGptMed.DicomNode.Cli.Admin;
using MiniGptMed.DicomNode.Http.Security;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// <c>minigptmed user add NAME --role admin|viewer [--password-stdin] | key NAME | list [--json] | remove NAME</c>: the
/// local users of the admin console and API, in the node's database (same <c>--config</c>/<c>--data</c> as
/// <c>serve</c>). The password is read without echo from the terminal (twice), or as one line from standard input
/// with <c>--password-stdin</c>; it is never an argument (argument lists are visible to every user in /proc).
/// Exit codes: 0 done, 1 failed (exists, not found, database), 2 bad arguments.
/// </summary>
internal static class UserCommand
{
    public static Command Create(CliContext cli) => new("user", "The admin console's and API's local users (PBKDF2 password hashes), and API keys for scripts.")
    {
        Add(cli), Key(cli), List(cli), Remove(cli),
    };

    private static Argument<string> UserName()
    {
        var name = CliOptions.Operand(new Argument<string>("NAME") { Description = "The user's name: letters, digits and . _ - @." });
        name.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } text && UserNames.Check(text) is { } problem)
            {
                result.AddError($"user name {problem}");
            }
        });
        return name;
    }

    private static Command Add(CliContext cli)
    {
        var name = UserName();
        var role = new Option<string>("--role") { Description = "admin changes, viewer reads.", HelpName = "admin|viewer", Required = true };
        role.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } text && !Roles.IsRole(text))
            {
                result.AddError($"--role '{text}' is not admin or viewer.");
            }
        });
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password as one line from standard input (otherwise asked twice on the terminal, not echoed)." };
        var command = new Command("add", "Add a user. The password is never an argument (argument lists are visible to every user in /proc).") { name, role, passwordStdin };
        var db = CliContext.DatabaseOptions(command, json: false);
        command.SetAction((parse, cancellationToken) =>
        {
            var password = parse.GetValue(passwordStdin) ? ReadLine(cli) : Prompt(cli);
            if (PasswordHashing.Check(password) is { } problem)
            {
                throw new CommandLineException($"the password {problem}");
            }

            // Hashed before the database opens: 600,000 iterations take a moment, and nothing else needs the password.
            var hash = PasswordHashing.Hash(password);
            var (user, userRole) = (parse.GetValue(name)!, parse.GetValue(role)!);
            // The database is created if the node has not started yet: users are made before the console is opened.
            return cli.WithDatabaseAsync(parse, db, "user", async database =>
            {
                if (!await database.Users.AddAsync(user, userRole, hash, cancellationToken).ConfigureAwait(false))
                {
                    cli.Error.WriteLine($"minigptmed user: user '{user}' exists.");
                    return CommandLine.Failed;
                }

                cli.Out.WriteLine($"user '{user}' added with role {userRole}.");
                return CommandLine.Ok;
            }, createIfMissing: true);
        });
        return command;
    }

    private static Command Key(CliContext cli)
    {
        var name = UserName();
        var command = new Command("key", "Create an API key for a user and print it (once: only its hash is stored).") { name };
        var db = CliContext.DatabaseOptions(command, json: false);
        command.SetAction((parse, cancellationToken) => cli.WithDatabaseAsync(parse, db, "user", async database =>
        {
            var user = parse.GetValue(name)!;
            var key = ApiKeys.Create();
            if (!await database.Users.AddKeyAsync(user, ApiKeys.HashOf(key), cancellationToken).ConfigureAwait(false))
            {
                cli.Error.WriteLine($"minigptmed user: user '{user}' not found.");
                return CommandLine.Failed;
            }

            // The key alone on stdout (scripts capture it); it is not stored and cannot be shown again.
            cli.Out.WriteLine(key);
            return CommandLine.Ok;
        }));
        return command;
    }

    private static Command List(CliContext cli)
    {
        var command = new Command("list", "The users: name, role, when created, how many API keys.");
        var db = CliContext.DatabaseOptions(command);
        command.SetAction((parse, cancellationToken) => cli.WithDatabaseAsync(parse, db, "user", async database =>
        {
            var users = await database.Users.ListAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(db.Json))
            {
                cli.Out.WriteLine(JsonSerializer.Serialize(users.ToList(), UserJsonContext.Default.ListNodeUser));
                return CommandLine.Ok;
            }

            TextTable.Write(cli.Out, ["NAME", "ROLE", "CREATED", "API KEYS"],
                users.Select(u => new[] { u.Name, u.Role, u.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), u.ApiKeys.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToList());
            return CommandLine.Ok;
        }));
        return command;
    }

    private static Command Remove(CliContext cli)
    {
        var name = UserName();
        var command = new Command("remove", "Remove a user with its API keys; its console sessions end at their next request.") { name };
        var db = CliContext.DatabaseOptions(command, json: false);
        command.SetAction((parse, cancellationToken) => cli.WithDatabaseAsync(parse, db, "user", async database =>
        {
            var user = parse.GetValue(name)!;
            if (!await database.Users.RemoveAsync(user, cancellationToken).ConfigureAwait(false))
            {
                cli.Error.WriteLine($"minigptmed user: user '{user}' not found.");
                return CommandLine.Failed;
            }

            cli.Out.WriteLine($"user '{user}' removed with its API keys; its console sessions end at their next request.");
            return CommandLine.Ok;
        }));
        return command;
    }

    private static string ReadLine(CliContext cli) => (cli.In ?? Console.In).ReadLine() ?? throw new CommandLineException("--password-stdin: standard input is empty.");

    /// <summary>Twice, without echo, from the terminal.</summary>
    private static string Prompt(CliContext cli)
    {
        var stderr = cli.Error;
        if (cli.In is not null || Console.IsInputRedirected)
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
