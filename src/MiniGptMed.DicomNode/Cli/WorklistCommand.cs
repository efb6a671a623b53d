using System.Globalization;
using System.Text.Json;
using MiniGptMed.DicomNode.Cli.Admin;
using MiniGptMed.DicomNode.Worklist;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// <c>minigptmed worklist [--ae AE] [--modality M] [--priority P] [--state S] [--limit N] [--json]</c>: the reading
/// worklist from the database <c>serve</c> uses (same <c>--config</c>/<c>--data</c>), stat first, then urgent, failed,
/// routine, pending; then by arrival. Exit codes: 0 done, 1 failed (database unreachable), 2 bad arguments.
/// </summary>
internal sealed class WorklistCommand : ICommand
{
    public string Name => "worklist";

    public string Usage => "worklist [--ae AE] [--modality M] [--priority stat|urgent|failed|routine] [--state S] [--limit N] [--json] [--config FILE] [--data DIR]";

    public string Summary => "The reading worklist: studies by triage priority, then arrival, with each one's summary.";

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var json = args.Contains("--json");
        var options = new NetworkArguments([.. args.Where(a => a != "--json")], "--ae", "--modality", "--priority", "--state", "--limit", "--config", "--data");
        if (options.Positional.Count > 0)
        {
            throw new CommandLineException($"unexpected argument '{options.Positional[0]}'.");
        }

        string? Opt(string name) => options.Has(name) ? options.Get(name, "") : null;
        var query = WorklistView.Query(Opt("--ae"), Opt("--modality"), Opt("--priority"), Opt("--state"),
            options.Has("--limit") ? options.GetInt("--limit", 200, 1, 10_000) : null, out var error);
        if (error is not null)
        {
            throw new CommandLineException(error);
        }

        return await NodeDatabaseAccess.RunAsync(Name, Opt("--config"), Opt("--data"), stderr, async database =>
        {
            var rows = (await database.Triage.WorklistAsync(query, cancellationToken).ConfigureAwait(false)).Select(WorklistView.From).ToList();
            if (json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(rows, WorklistJsonContext.Default.ListWorklistView));
                return 0;
            }

            stdout.WriteLine("PRIORITY  STATE      AE               MOD  RECEIVED (UTC)    STUDY / SUMMARY");
            foreach (var r in rows)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Priority,-9} {r.State,-10} {r.CalledAe,-16} {r.Modality ?? "-",-4} {r.FirstReceivedAt.UtcDateTime:yyyy-MM-dd HH:mm}  {r.StudyInstanceUid}"));
                if (r.Summary is { } summary)
                {
                    stdout.WriteLine($"          {summary}");
                }
            }

            return 0;
        }).ConfigureAwait(false);
    }
}
