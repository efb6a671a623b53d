using System.Text.Json;
using MiniGptMed.DicomNode.Cli.Admin;
using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// <c>minigptmed jobs list|show ID|retry ID|cancel ID</c>: the node's job queue, in the database <c>serve</c> uses
/// (same <c>--config</c>/<c>--data</c>). Exit codes: 0 done, 1 failed (no such job, not retryable or cancellable,
/// database unreachable), 2 bad arguments or configuration.
/// </summary>
internal sealed class JobsCommand : ICommand
{
    private const string Options = "[--config FILE] [--data DIR]";

    public string Name => "jobs";

    public string Usage => $"jobs list [--state S[,S..]] [--kind K] [--limit N] [--json] | show ID [--json] | retry ID | cancel ID  {Options}";

    public string Summary => "List and show the node's jobs; retry a dead-lettered or cancelled job, cancel a waiting or running one.";

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var arguments = new AdminArguments(args, "--state", "--kind", "--limit");
        Func<IJobQueue, Task<int>> action = arguments.SubCommand switch
        {
            "list" => List(arguments, stdout),
            "show" => Show(arguments, stdout, stderr),
            "retry" => Retry(arguments, stdout, stderr),
            "cancel" => Cancel(arguments, stdout, stderr),
            var other => throw new CommandLineException($"unknown sub-command '{other}' (list, show, retry, cancel)."),
        };
        return await NodeDatabaseAccess.RunAsync(Name, arguments.ConfigFile, arguments.DataDirectory, stderr, database => action(database.Jobs)).ConfigureAwait(false);
    }

    // Each sub-command checks its arguments here, before the database is opened, and returns what runs on it.
    private static Func<IJobQueue, Task<int>> List(AdminArguments arguments, TextWriter stdout)
    {
        arguments.Operands(0, "no argument");
        var query = new JobQuery
        {
            States = arguments.JobStateFilter(),
            Kinds = arguments.Get("--kind") is { } kind
                ? kind is JobKinds.Analyse or JobKinds.Export or JobKinds.Notify
                    ? [kind]
                    : throw new CommandLineException($"--kind '{kind}' is not a job kind ({JobKinds.Analyse}, {JobKinds.Export}, {JobKinds.Notify}).")
                : [],
            Limit = arguments.Limit(100),
        };
        return async jobs =>
        {
            var rows = await jobs.ListAsync(query).ConfigureAwait(false);
            if (arguments.Json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(rows.Select(JobView.From).ToList(), AdminJsonContext.Default.ListJobView));
                return 0;
            }

            JobsText.WriteList(stdout, rows, await jobs.CountByStateAsync().ConfigureAwait(false));
            return 0;
        };
    }

    private static Func<IJobQueue, Task<int>> Show(AdminArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        arguments.Refuse("--state", "--kind", "--limit");
        var id = AdminArguments.JobId(arguments.Operands(1, "a job id")[0]);
        return async jobs =>
        {
            if (await jobs.GetAsync(id).ConfigureAwait(false) is not { } job)
            {
                stderr.WriteLine($"minigptmed jobs: job {id} not found.");
                return 1;
            }

            WriteJob(job, arguments.Json, stdout);
            return 0;
        };
    }

    private static Func<IJobQueue, Task<int>> Retry(AdminArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        arguments.Refuse("--state", "--kind", "--limit");
        var id = AdminArguments.JobId(arguments.Operands(1, "a job id")[0]);
        return async jobs =>
        {
            if (await jobs.RetryAsync(id).ConfigureAwait(false))
            {
                // With SQLite a running serve picks it up at its next poll (Jobs:PollSeconds); PostgreSQL notifies at once.
                WriteOutcome(await jobs.GetAsync(id).ConfigureAwait(false), arguments.Json, stdout, $"job {id} is pending again (attempts reset, error history kept).");
                return 0;
            }

            return await RefuseAsync(jobs, id, "only dead_letter or cancelled jobs can be retried", stderr).ConfigureAwait(false);
        };
    }

    private static Func<IJobQueue, Task<int>> Cancel(AdminArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        arguments.Refuse("--state", "--kind", "--limit");
        var id = AdminArguments.JobId(arguments.Operands(1, "a job id")[0]);
        return async jobs =>
        {
            if (await jobs.CancelAsync(id).ConfigureAwait(false))
            {
                WriteOutcome(await jobs.GetAsync(id).ConfigureAwait(false), arguments.Json, stdout, $"job {id} cancelled.");
                return 0;
            }

            return await RefuseAsync(jobs, id, "only pending, retrying or running jobs can be cancelled", stderr).ConfigureAwait(false);
        };
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
