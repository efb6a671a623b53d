using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MiniGptMed.DicomNode.Administration;
using MiniGptMed.DicomNode.Cli.Admin;

namespace MiniGptMed.DicomNode.Cli.Config;

/// <summary>
/// One configuration verb (<c>ae</c>, <c>source</c>, <c>destination</c>, <c>rule</c>) with <c>list|show|add|update|remove</c>
/// over <see cref="IAdministration"/>: the same validation, audit and in-use checks as the HTTP API. Exit codes: 0 done;
/// 1 failed (no such item, in use without --force, database unreachable); 2 bad arguments (a wrong field: each named).
/// </summary>
internal sealed class ConfigVerb<T>(
    ConfigKind kind,
    string verb,
    string argumentName,
    string description,
    Func<IAdministration, IConfigSet<T>> set,
    JsonTypeInfo<T> json,
    IReadOnlyList<Option> fields,
    Func<ParseResult, string, T?, T> build,
    Action<TextWriter, IReadOnlyList<T>> table) where T : class
{
    public Command Create(CliContext cli)
    {
        var command = new Command(verb, description);
        command.Subcommands.Add(List(cli));
        command.Subcommands.Add(Show(cli));
        command.Subcommands.Add(Edit(cli, "add", $"Add a {Noun}; every field is checked, nothing is written if one is wrong."));
        command.Subcommands.Add(Edit(cli, "update", $"Change fields of a {Noun}; the options not given keep their value, a list given replaces the list (an empty value clears it)."));
        command.Subcommands.Add(Remove(cli));
        return command;
    }

    public string Verb => verb;

    private string Noun => ConfigReferences.Noun(kind);

    private Command List(CliContext cli)
    {
        var command = new Command("list", $"List the {Noun}s in the order they apply.");
        var db = CliContext.DatabaseOptions(command);
        command.SetAction((parse, ct) => cli.RunAsync(parse, db, $"{verb} list", async (admin, _) =>
        {
            var items = await set(admin).ListAsync(ct).ConfigureAwait(false);
            if (parse.GetValue(db.Json))
            {
                cli.Out.WriteLine(JsonArray(items));
            }
            else
            {
                table(cli.Out, items);
            }

            return 0;
        }));
        return command;
    }

    private Command Show(CliContext cli)
    {
        var name = CliOptions.Operand(new Argument<string>(argumentName) { Description = $"The {Noun}'s {(argumentName == "AE" ? "AE title" : "name")}." });
        var command = new Command("show", $"Show one {Noun}, every field.");
        command.Arguments.Add(name);
        var db = CliContext.DatabaseOptions(command);
        command.SetAction((parse, ct) => cli.RunAsync(parse, db, $"{verb} show", async (admin, _) =>
        {
            var key = parse.GetValue(name)!;
            if (await set(admin).GetAsync(key, ct).ConfigureAwait(false) is not { } item)
            {
                cli.Error.WriteLine($"minigptmed {verb} show: '{key}' is not a {Noun} ({verb} list shows them).");
                return 1;
            }

            WriteItem(cli, parse.GetValue(db.Json), item);
            return 0;
        }));
        return command;
    }

    private Command Edit(CliContext cli, string action, string summary)
    {
        var name = CliOptions.Operand(new Argument<string>(argumentName) { Description = $"The {Noun}'s {(argumentName == "AE" ? "AE title" : "name")}." });
        var command = new Command(action, summary);
        command.Arguments.Add(name);
        foreach (var field in fields)
        {
            command.Options.Add(field);
        }

        var db = CliContext.DatabaseOptions(command);
        command.SetAction((parse, ct) => cli.RunAsync(parse, db, $"{verb} {action}", async (admin, actor) =>
        {
            var key = parse.GetValue(name) ?? "";
            var items = set(admin);
            ChangeOutcome<T> outcome;
            if (action == "add")
            {
                outcome = await items.AddAsync(build(parse, key, null), actor, ct).ConfigureAwait(false);
            }
            else
            {
                if (await items.GetAsync(key, ct).ConfigureAwait(false) is not { } stored)
                {
                    cli.Error.WriteLine($"minigptmed {verb} update: '{key}' is not a {Noun} ({verb} list shows them).");
                    return 1;
                }

                outcome = await items.UpdateAsync(key, build(parse, key, stored), actor, ct).ConfigureAwait(false);
            }

            return Report(cli, parse.GetValue(db.Json), $"{verb} {action}", outcome);
        }));
        return command;
    }

    private Command Remove(CliContext cli)
    {
        var name = CliOptions.Operand(new Argument<string>(argumentName) { Description = $"The {Noun}'s {(argumentName == "AE" ? "AE title" : "name")}." });
        var force = new Option<bool>("--force") { Description = "Remove it even while in use (named by a rule or an AE, studies or jobs not finished)." };
        var command = new Command("remove", $"Remove a {Noun}; refused while it is in use unless --force.");
        command.Arguments.Add(name);
        command.Options.Add(force);
        var db = CliContext.DatabaseOptions(command);
        command.SetAction((parse, ct) => cli.RunAsync(parse, db, $"{verb} remove", async (admin, actor) =>
            Report(cli, parse.GetValue(db.Json), $"{verb} remove", await set(admin).RemoveAsync(parse.GetValue(name) ?? "", actor, parse.GetValue(force), ct).ConfigureAwait(false))));
        return command;
    }

    private int Report(CliContext cli, bool asJson, string what, ChangeOutcome<T> outcome)
    {
        switch (outcome.Status)
        {
            case ChangeStatus.Done:
                if (asJson)
                {
                    cli.Out.WriteLine(JsonSerializer.Serialize(outcome.Value!, json));
                }
                else
                {
                    var done = what.EndsWith("add", StringComparison.Ordinal) ? "added" : what.EndsWith("update", StringComparison.Ordinal) ? "updated" : "removed";
                    cli.Out.WriteLine($"{Noun} '{ConfigReferences.NameOf(outcome.Value!)}' {done}.");
                }

                return 0;
            case ChangeStatus.Invalid:
                foreach (var error in outcome.Errors)
                {
                    cli.Error.WriteLine($"minigptmed {what}: {Describe(error.Field)}: {error.Message}");
                }

                cli.Error.WriteLine($"minigptmed {what}: nothing was changed.");
                return 2;
            case ChangeStatus.InUse:
                foreach (var error in outcome.Errors)
                {
                    cli.Error.WriteLine($"minigptmed {what}: in use: {error.Message}");
                }

                cli.Error.WriteLine($"minigptmed {what}: nothing was changed (--force removes it anyway).");
                return 1;
            default:
                cli.Error.WriteLine($"minigptmed {what}: {(outcome.Errors.Count > 0 ? outcome.Errors[0].Message : "failed")}");
                return 1;
        }
    }

    /// <summary>A field as the command line spells it: the name argument, or the option (<c>addresses[1]</c> is the second <c>--address</c>).</summary>
    private string Describe(string field)
    {
        var bracket = field.IndexOf('[', StringComparison.Ordinal);
        var property = bracket < 0 ? field : field[..bracket];
        if (property == ConfigReferences.NameField(kind))
        {
            return $"{property} ({argumentName})";
        }

        var option = fields.FirstOrDefault(o => string.Equals(CliContext.PropertyOf(o), property, StringComparison.Ordinal));
        return option is null ? field : bracket < 0 ? $"{field} ({option.Name})" : $"{field} ({option.Name} #{Index(field, bracket) + 1})";
    }

    private static int Index(string field, int bracket) =>
        int.TryParse(field.AsSpan(bracket + 1, field.Length - bracket - 2), System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : 0;

    private void WriteItem(CliContext cli, bool asJson, T item)
    {
        var text = JsonSerializer.Serialize(item, json);
        if (asJson)
        {
            cli.Out.WriteLine(text);
            return;
        }

        using var document = JsonDocument.Parse(text);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            cli.Out.WriteLine($"{property.Name}: {Plain(property.Value)}");
        }
    }

    private string JsonArray(IReadOnlyList<T> items) => $"[{string.Join(",", items.Select(i => JsonSerializer.Serialize(i, json)))}]";

    internal static string Plain(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => value.GetArrayLength() == 0 ? "-" : string.Join(", ", value.EnumerateArray().Select(Plain)),
        JsonValueKind.Null => "-",
        JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : "-",
        JsonValueKind.Object => string.Join(" ", value.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).Select(p => Plain(p.Value))),
        _ => value.GetRawText(),
    };
}
