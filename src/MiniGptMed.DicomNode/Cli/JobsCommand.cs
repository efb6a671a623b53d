using System.CommandLine;
using System.Text.Json;
using MiniGptMed.DicomNode.Cli.Admin;
using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// <c>minigptmed jobs list|show ID|retry ID|cancel ID</c>: the node's job queue, in the database <c>serve</c> uses
/// (same <c>--config</c>/<c>--data</c>). Exit codes: 0 done, 1 failed (no such job, not retryable or cancellable,
/// database unreachable), 2 bad arguments or configuration.
/// </summary>
internal static class JobsCommand
{
    public static Command Create(CliContext cli) => new("jobs", "The node's job queue: list and show jobs; retry a dead-lettered or cancelled one, cancel a waiting or running one.")
    {
        List(cli),
        Show(cli),
        // With SQLite a running serve picks a retried job up at its next poll (Jobs:PollSeconds); PostgreSQL notifies at once.
        Change(cli, "retry", "Make a dead_letter or cancelled job pending again (attempts reset, error history kept).", (jobs, id) => jobs.RetryAsync(id),
            id => $"job {id} is pending again (attempts reset, error history kept).", "only dead_letter or cancelled jobs can be retried"),
        Change(cli, "cancel", "Cancel a pending, retrying or running job.", (jobs, id) => jobs.CancelAsync(id),
            id => $"job {id} cancelled.", "only pending, retrying or running jobs can be cancelled"),
    };

    private static Command List(CliContext cli)
    {
        var states = new Option<JobState[]>("--state")
        {
            Description = "Only jobs in these states: pending, running, succeeded, retrying, dead_letter (or dead-letter), cancelled (a comma list).",
            HelpName = "STATE[,STATE]",
            CustomParser = result =>
            {
                var parsed = new HashSet<JobState>();
                foreach (var part in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries)))
                {
                    if (JobStates.TryParse(part, out var state))
                    {
                        parsed.Add(state);
                    }
                    else
                    {
                        result.AddError($"--state '{part}' is not a job state (pending, running, succeeded, retrying, dead_letter, cancelled).");
                    }
                }

                return [.. parsed];
            },
        };
        var kind = new Option<string>("--kind") { Description = $"Only jobs of this kind: {JobKinds.Analyse}, {JobKinds.Export}, {JobKinds.Notify}.", HelpName = "KIND" };
        kind.OneOf(JobKinds.Analyse, JobKinds.Export, JobKinds.Notify);
        var limit = CliOptions.Limit(100, 100_000);
        var command = new Command("list", "Jobs newest first, then the count per state of the whole table.") { states, kind, limit };
        var db = CliContext.DatabaseOptions(command);
        command.SetAction((parse, _) => cli.WithDatabaseAsync(parse, db, "jobs", async database =>
        {
            var query = new JobQuery
            {
                States = parse.GetValue(states) ?? [],
                Kinds = parse.GetValue(kind) is { } k ? [k] : [],
                Limit = parse.GetValue(limit) ?? 100,
            };
            var rows = await database.Jobs.ListAsync(query).ConfigureAwait(false);
            if (parse.GetValue(db.Json))
            {
                cli.Out.WriteLine(JsonSerializer.Serialize(rows.Select(JobView.From).ToList(), AdminJsonContext.Default.ListJobView));
                return CommandLine.Ok;
            }

            JobsText.WriteList(cli.Out, rows, await database.Jobs.CountByStateAsync().ConfigureAwait(false));
            return CommandLine.Ok;
        }));
        return command;
    }

    private static Argument<long> JobId() => CliOptions.Operand(new Argument<long>("ID")
    {
        Description = "The job's id (jobs list shows them).",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                return id;
            }

            result.AddError($"ID '{text}' is not a job id (a positive integer).");
            return 0;
        },
    });

    private static Command Show(CliContext cli)
    {
        var id = JobId();
        var command = new Command("show", "Every column of a job, its payload, and its error history.") { id };
        var db = CliContext.DatabaseOptions(command);
        command.SetAction((parse, _) => cli.WithDatabaseAsync(parse, db, "jobs", async database =>
        {
            var key = parse.GetValue(id);
            if (await database.Jobs.GetAsync(key).ConfigureAwait(false) is not { } job)
            {
                cli.Error.WriteLine($"minigptmed jobs: job {key} not found.");
                return CommandLine.Failed;
            }

            WriteJob(job, parse.GetValue(db.Json), cli.Out);
            return CommandLine.Ok;
        }));
        return command;
    }

    /// <summary>retry or cancel: <paramref name="change"/> is true when it changed the job; otherwise the job's state and <paramref name="rule"/> are printed.</summary>
    private static Command Change(CliContext cli, string name, string description, Func<IJobQueue, long, Task<bool>> change, Func<long, string> done, string rule)
    {
        var id = JobId();
        var command = new Command(name, description) { id };
        var db = CliContext.DatabaseOptions(command);
        command.SetAction((parse, _) => cli.WithDatabaseAsync(parse, db, "jobs", async database =>
        {
            var key = parse.GetValue(id);
            if (!await change(database.Jobs, key).ConfigureAwait(false))
            {
                return await RefuseAsync(database.Jobs, key, rule, cli.Error).ConfigureAwait(false);
            }

            WriteOutcome(await database.Jobs.GetAsync(key).ConfigureAwait(false), parse.GetValue(db.Json), cli.Out, done(key));
            return CommandLine.Ok;
        }));
        return command;
    }

    private static async Task<int> RefuseAsync(IJobQueue jobs, long id, string rule, TextWriter stderr)
    {
        stderr.WriteLine(await jobs.GetAsync(id).ConfigureAwait(false) is { } job
            ? $"minigptmed jobs: job {id} is {job.State.ToText()}: {rule}."
            : $"minigptmed jobs: job {id} not found.");
        return 1;
    }

    private static void WriteOutcome(Job? job, bool json, TextWriter stdout, string message)
    {
        if (json && job is not null)
        {
            WriteJob(job, json: true, stdout);
            return;
        }

        stdout.WriteLine(message);
    }

    private static void WriteJob(Job job, bool json, TextWriter stdout)
    {
        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(JobView.From(job), AdminJsonContext.Default.JobView));
        }
        else
        {
            JobsText.WriteJob(stdout, job);
        }
    }
}
