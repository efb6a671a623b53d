using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Http.Security;
using MiniGptMed.DicomNode.Jobs;
using static MiniGptMed.DicomNode.Http.Pages.Html;

namespace MiniGptMed.DicomNode.Http.Pages;

/// <summary><c>GET /jobs</c>: the queue, newest first, with Retry (dead letters, cancelled) and Cancel (waiting, running) for admins.</summary>
internal static class JobsPage
{
    public static async Task<IResult> RenderAsync(HttpContext context, NodeDatabase database, IAntiforgery antiforgery, string? state, string? message, string? error,
        CancellationToken cancellationToken)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var states = new HashSet<JobState>();
        if (state is not null && JobStates.TryParse(state, out var parsed))
        {
            states.Add(parsed);
        }

        var admin = context.User.IsInRole(Roles.Admin);
        var jobs = await database.Jobs.ListAsync(new JobQuery { States = states, Limit = 200 }, cancellationToken).ConfigureAwait(false);
        var body = new StringBuilder(Layout.Notice(message)).Append(Layout.Notice(error, error: true));
        body.Append("<p class=\"filters\">Show: <a href=\"/jobs\">all</a>");
        foreach (var s in Enum.GetValues<JobState>())
        {
            body.Append(" <a href=\"/jobs?state=").Append(s.ToText()).Append("\">").Append(E(s.ToText())).Append("</a>");
        }

        body.Append("</p>").Append(Table(["Id", "Kind", "State", "Attempt", "Created", "Last error", ""],
            jobs.Select(j => new[]
            {
                E(j.Id), E(j.Kind), E(j.State.ToText()), E($"{j.Attempt}/{j.MaxAttempts}"), Time(j.CreatedAt),
                E(j.Errors.Count > 0 ? j.Errors[^1].Message : ""),
                !admin ? ""
                    : j.State is JobState.DeadLetter or JobState.Cancelled ? Button($"/jobs/{j.Id}/retry", $"Retry job {j.Id}", tokens)
                    : j.State is JobState.Pending or JobState.Retrying or JobState.Running ? Button($"/jobs/{j.Id}/cancel", $"Cancel job {j.Id}", tokens, "secondary")
                    : "",
            }),
            "No job."));
        return Layout.Page("Jobs", "/jobs", context.User, tokens, body.ToString());
    }
}
