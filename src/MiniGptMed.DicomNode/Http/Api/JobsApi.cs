using Microsoft.AspNetCore.Http.HttpResults;
using MiniGptMed.DicomNode.Cli.Admin;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Http.Security;
using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.DicomNode.Http.Api;

/// <summary><c>/api/jobs</c>: the queue as <c>minigptmed jobs</c> shows it; retry and cancel need an admin.</summary>
internal static class JobsApi
{
    public const string RetryRule = "only dead_letter or cancelled jobs can be retried";
    public const string CancelRule = "only pending, retrying or running jobs can be cancelled";

    public static RouteGroupBuilder MapJobsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/jobs").WithTags("Jobs");
        group.MapGet("/", ListAsync).WithSummary("Jobs, newest first; filter by state (comma-separated) and kind.");
        group.MapGet("/counts", CountsAsync).WithSummary("How many jobs are in each state.");
        group.MapGet("/{id:long}", ShowAsync).WithSummary("One job with its payload and error history.");
        group.MapPost("/{id:long}/retry", RetryAsync).RequireAuthorization(Roles.AdminPolicy)
            .WithSummary("Makes a dead_letter or cancelled job pending again (attempts reset, error history kept).");
        group.MapPost("/{id:long}/cancel", CancelAsync).RequireAuthorization(Roles.AdminPolicy)
            .WithSummary("Cancels a pending, retrying or running job.");
        return api;
    }

    private static async Task<Results<Ok<List<JobView>>, ProblemHttpResult>> ListAsync(NodeDatabase database, string? state, string? kind, int? limit, CancellationToken cancellationToken)
    {
        var states = new HashSet<JobState>();
        foreach (var part in (state ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!JobStates.TryParse(part, out var parsed))
            {
                return Problems.BadRequest("state", $"'{part}' is not a job state (pending, running, succeeded, retrying, dead_letter, cancelled).");
            }

            states.Add(parsed);
        }

        if (kind is not (null or JobKinds.Analyse or JobKinds.Export or JobKinds.Notify))
        {
            return Problems.BadRequest("kind", $"'{kind}' is not a job kind ({JobKinds.Analyse}, {JobKinds.Export}, {JobKinds.Notify}).");
        }

        if (limit is < 1 or > 100_000)
        {
            return Problems.BadRequest("limit", $"{limit} is not 1..100000.");
        }

        var rows = await database.Jobs.ListAsync(new JobQuery { States = states, Kinds = kind is null ? [] : [kind], Limit = limit ?? 100 }, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(rows.Select(JobView.From).ToList());
    }

    private static async Task<Ok<JobCountsView>> CountsAsync(NodeDatabase database, CancellationToken cancellationToken)
    {
        var counts = await database.Jobs.CountByStateAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new JobCountsView(Enum.GetValues<JobState>().ToDictionary(s => s.ToText(), s => counts.TryGetValue(s, out var n) ? n : 0)));
    }

    private static async Task<Results<Ok<JobView>, ProblemHttpResult>> ShowAsync(long id, NodeDatabase database, CancellationToken cancellationToken) =>
        await database.Jobs.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } job ? TypedResults.Ok(JobView.From(job)) : Problems.NotFound($"job {id} not found.");

    private static Task<Results<Ok<JobView>, ProblemHttpResult>> RetryAsync(long id, NodeDatabase database, HttpContext context, ILogger<JobView> logger, CancellationToken cancellationToken) =>
        ActAsync(id, database, "retried", (jobs, ct) => jobs.RetryAsync(id, ct), RetryRule, context, logger, cancellationToken);

    private static Task<Results<Ok<JobView>, ProblemHttpResult>> CancelAsync(long id, NodeDatabase database, HttpContext context, ILogger<JobView> logger, CancellationToken cancellationToken) =>
        ActAsync(id, database, "cancelled", (jobs, ct) => jobs.CancelAsync(id, ct), CancelRule, context, logger, cancellationToken);

    /// <summary>Runs a state change; the outcome (or why not) is what the CLI says, as problem details.</summary>
    public static async Task<Results<Ok<JobView>, ProblemHttpResult>> ActAsync(long id, NodeDatabase database, string action,
        Func<IJobQueue, CancellationToken, Task<bool>> change, string rule, HttpContext context, ILogger logger, CancellationToken cancellationToken)
    {
        if (await change(database.Jobs, cancellationToken).ConfigureAwait(false))
        {
            HttpLog.JobAction(logger, context.User.Identity?.Name ?? "?", action, id);
            return TypedResults.Ok(JobView.From((await database.Jobs.GetAsync(id, cancellationToken).ConfigureAwait(false))!));
        }

        return await database.Jobs.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } job
            ? Problems.Conflict($"job {id} is {job.State.ToText()}: {rule}.")
            : Problems.NotFound($"job {id} not found.");
    }
}
