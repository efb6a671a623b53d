using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using MiniGptMed.DicomNode.Worklist;
using MiniGptMed.DicomNode.Worklist.Triage;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// <c>minigptmed worklist [--ae AE] [--modality M] [--priority P] [--state S] [--limit N] [--json]</c>: the reading
/// worklist from the database <c>serve</c> uses (same <c>--config</c>/<c>--data</c>), stat first, then urgent, failed,
/// routine, pending; then by arrival. Exit codes: 0 done, 1 failed (database unreachable), 2 bad arguments.
/// </summary>
internal static class WorklistCommand
{
    public static Command Create(CliContext cli)
    {
        var ae = new Option<string>("--ae") { Description = "Only studies received by this listening AE.", HelpName = "AE" };
        var modality = new Option<string>("--modality") { Description = "Only studies of this modality.", HelpName = "MODALITY" };
        var priority = new Option<string>("--priority") { Description = "Only studies of this priority.", HelpName = "stat|urgent|failed|routine" };
        var state = new Option<string>("--state") { Description = "Only studies in this state (receiving, stable, analysing, analysed, ...).", HelpName = "STATE" };
        var limit = CliOptions.Limit(200, 10_000);
        var command = new Command("worklist", "The reading worklist: studies by triage priority (stat, urgent, failed, routine, pending), then arrival, with each one's summary.")
        {
            ae, modality, priority, state, limit,
        };
        var db = CliContext.DatabaseOptions(command);
        WorklistQuery Query(SymbolResult result, out string? error) =>
            WorklistView.Query(result.GetValue(ae), result.GetValue(modality), result.GetValue(priority), result.GetValue(state), result.GetValue(limit), out error);
        // The API's own check of the filters (WorklistView.Query): both refuse the same values with the same words.
        command.Validators.Add(result =>
        {
            Query(result, out var error);
            if (error is not null)
            {
                result.AddError($"--{error}");
            }
        });
        command.SetAction((parse, cancellationToken) => cli.WithDatabaseAsync(parse, db, "worklist", async database =>
        {
            var query = Query(parse.CommandResult, out _);
            var rows = (await database.Triage.WorklistAsync(query, cancellationToken).ConfigureAwait(false)).Select(WorklistView.From).ToList();
            if (parse.GetValue(db.Json))
            {
                cli.Out.WriteLine(JsonSerializer.Serialize(rows, WorklistJsonContext.Default.ListWorklistView));
                return CommandLine.Ok;
            }

            cli.Out.WriteLine("PRIORITY  STATE      AE               MOD  RECEIVED (UTC)    STUDY / SUMMARY");
            foreach (var r in rows)
            {
                cli.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Priority,-9} {r.State,-10} {r.CalledAe,-16} {r.Modality ?? "-",-4} {r.FirstReceivedAt.UtcDateTime:yyyy-MM-dd HH:mm}  {r.StudyInstanceUid}"));
                if (r.Summary is { } summary)
                {
                    cli.Out.WriteLine($"          {summary}");
                }
            }

            return CommandLine.Ok;
        }));
        return command;
    }
}
