using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Administration;
using MiniGptMed.DicomNode.Assembly;
using MiniGptMed.DicomNode.Cli.Admin;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Export;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>The options every database verb takes, exactly as <c>serve</c> takes <c>--config</c> and <c>--data</c>.</summary>
internal sealed record DatabaseOptionSet(Option<string> Config, Option<string> Data, Option<bool> Json);

/// <summary>What the verbs share: the output writers (tests give their own), standard input, the database options, opening the database.</summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr, TextReader? stdin = null)
{
    // The field each option sets, as the validation names it (Administration/FieldError).
    private static readonly Dictionary<string, string> Properties = new(StringComparer.Ordinal)
    {
        ["--address"] = "addresses",
        ["--called-ae"] = "calledAes",
        ["--rule"] = "rules",
        ["--destination"] = "destinations",
        ["--modality"] = "modalities",
        ["--body-part"] = "bodyParts",
        ["--sop-class"] = "sopClasses",
        ["--series-description"] = "seriesDescriptions",
        ["--task"] = "tasks",
        ["--folder"] = "path",
        ["--tls-ca"] = "tlsCaFile",
        ["--tls-cert"] = "tlsCertificateFile",
        ["--tls-key"] = "tlsKeyFile",
    };

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    /// <summary>Standard input as given (a test's reader), or null for the process's own.</summary>
    public TextReader? In { get; } = stdin;

    /// <summary>The OS user, recorded as who made a change (the HTTP API records its authenticated user).</summary>
    public static string Actor => Environment.UserName is { Length: > 0 } user ? user : "unknown";

    /// <summary>The camelCase property an option sets: <c>--ae-title</c> is <c>aeTitle</c>, <c>--address</c> is <c>addresses</c>.</summary>
    public static string PropertyOf(Option option)
    {
        if (Properties.TryGetValue(option.Name, out var property))
        {
            return property;
        }

        var parts = option.Name.TrimStart('-').Split('-');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    /// <summary>Adds <c>--config</c>, <c>--data</c> and (unless <paramref name="json"/> is false) <c>--json</c> to <paramref name="command"/>.</summary>
    public static DatabaseOptionSet DatabaseOptions(Command command, bool json = true)
    {
        var set = new DatabaseOptionSet(CliOptions.Config(), CliOptions.Data(), CliOptions.Json());
        command.Options.Add(set.Config);
        command.Options.Add(set.Data);
        if (json)
        {
            command.Options.Add(set.Json);
        }

        return set;
    }

    /// <summary>Opens the node's database named by the options (as <c>serve</c> finds it) and runs <paramref name="action"/> on it.</summary>
    public Task<int> WithDatabaseAsync(ParseResult parse, DatabaseOptionSet options, string verb, Func<NodeDatabase, Task<int>> action, bool createIfMissing = false) =>
        NodeDatabaseAccess.RunAsync(verb, parse.GetValue(options.Config), parse.GetValue(options.Data), Error, action, createIfMissing);

    /// <summary>
    /// Opens the node's database as <c>serve</c> finds it, seeds its configuration from appsettings.json if no node did
    /// yet (so the CLI and a later first start agree), and runs <paramref name="action"/> with the OS user as the actor.
    /// </summary>
    public Task<int> RunAsync(ParseResult parse, DatabaseOptionSet options, string verb, Func<IAdministration, string, Task<int>> action) =>
        NodeDatabaseAccess.RunAsync(verb, parse.GetValue(options.Config), parse.GetValue(options.Data), Error, async (database, services) =>
        {
            await SeedAsync(database.SqlAdministration, services).ConfigureAwait(false);
            return await action(database.Administration, Actor).ConfigureAwait(false);
        });

    /// <summary>The configuration as the host's options see it (not overlaid: the CLI loads no snapshot).</summary>
    public static Task SeedAsync(SqlAdministration administration, IServiceProvider services) =>
        AdministrationService.SeedAsync(administration,
            services.GetRequiredService<IOptionsMonitor<ReceptionOptions>>().CurrentValue,
            services.GetRequiredService<IOptionsMonitor<AssemblyOptions>>().CurrentValue,
            services.GetRequiredService<IOptionsMonitor<AnalysisRulesOptions>>().CurrentValue,
            services.GetRequiredService<IOptionsMonitor<ExportOptions>>().CurrentValue,
            NullLogger.Instance, CancellationToken.None);

    /// <summary>A list option's values; an empty value (<c>--rule ""</c>) stands for the empty list.</summary>
    public static IReadOnlyList<string>? List(ParseResult parse, Option<string[]> option) =>
        parse.GetResult(option) is null ? null : [.. (parse.GetValue(option) ?? []).Where(v => v.Length > 0)];

    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
