using System.CommandLine;
using System.Text.Json;
using MiniGptMed.Dicom.Data;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Cli.Admin;
using MiniGptMed.DicomNode.Database;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// <c>minigptmed studies list|show UID</c>: the studies the node received, where each stands (state, analysis,
/// export per destination), from the database <c>serve</c> uses (same <c>--config</c>/<c>--data</c>). The catalogue
/// holds UIDs, AE titles and counts, never a patient's name or ID. Exit codes: 0 done, 1 failed (no such study,
/// database unreachable), 2 bad arguments or configuration.
/// </summary>
internal static class StudiesCommand
{
    public static Command Create(CliContext cli) =>
        new("studies", "The received studies: counts, times, state, analysis and exports per destination.") { List(cli), Show(cli) };

    private static StudyOverview Overview(NodeDatabase database) => new(database.Catalogue, database.Jobs);

    private static Command List(CliContext cli)
    {
        var state = new Option<StudyState?>("--state")
        {
            Description = $"Only groups in this state: {string.Join(", ", Enum.GetValues<StudyState>().Select(StudyView.StateText))}.",
            HelpName = "STATE",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                foreach (var value in Enum.GetValues<StudyState>())
                {
                    if (string.Equals(StudyView.StateText(value), text.Trim(), StringComparison.OrdinalIgnoreCase))
                    {
                        return value;
                    }
                }

                result.AddError($"--state '{text}' is not a study state ({string.Join(", ", Enum.GetValues<StudyState>().Select(StudyView.StateText))}).");
                return null;
            },
        };
        var limit = CliOptions.Limit(100, 100_000);
        var command = new Command("list", "One row per assembly group, newest activity first.") { state, limit };
        var db = CliContext.DatabaseOptions(command);
        command.SetAction((parse, cancellationToken) => cli.WithDatabaseAsync(parse, db, "studies", async database =>
        {
            var studies = await Overview(database).ListAsync(parse.GetValue(state), parse.GetValue(limit) ?? 100, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(db.Json))
            {
                cli.Out.WriteLine(JsonSerializer.Serialize(studies.ToList(), AdminJsonContext.Default.ListStudyView));
            }
            else
            {
                StudiesText.WriteList(cli.Out, studies);
            }

            return CommandLine.Ok;
        }));
        return command;
    }

    private static Command Show(CliContext cli)
    {
        var uid = CliOptions.Operand(new Argument<string>("UID") { Description = "A Study Instance UID (or the UID of a series group)." });
        uid.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } text && !DicomUid.IsValid(text))
            {
                result.AddError($"'{text}' is not a UID (PS3.5 9.1: digits and dots, at most 64 characters).");
            }
        });
        var command = new Command("show", "A study's groups with their jobs, attempts and last errors, then its series.") { uid };
        var db = CliContext.DatabaseOptions(command);
        command.SetAction((parse, cancellationToken) => cli.WithDatabaseAsync(parse, db, "studies", async database =>
        {
            var key = parse.GetValue(uid)!;
            if (await Overview(database).ShowAsync(key, cancellationToken).ConfigureAwait(false) is not { } study)
            {
                cli.Error.WriteLine($"minigptmed studies: study {key} not found.");
                return CommandLine.Failed;
            }

            if (parse.GetValue(db.Json))
            {
                cli.Out.WriteLine(JsonSerializer.Serialize(study, AdminJsonContext.Default.StudyDetailView));
            }
            else
            {
                StudiesText.WriteStudy(cli.Out, study);
            }

            return CommandLine.Ok;
        }));
        return command;
    }
}
