using Microsoft.AspNetCore.Http.HttpResults;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Worklist;

namespace MiniGptMed.DicomNode.Http.Api;

/// <summary><c>/api/worklist</c>: the reading worklist, what <c>minigptmed worklist --json</c> prints (docs/worklist.md).</summary>
internal static class WorklistApi
{
    public static RouteGroupBuilder MapWorklistApi(this RouteGroupBuilder api)
    {
        api.MapGet("/worklist", ListAsync).WithTags("Worklist")
            .WithSummary("Studies by triage priority (stat, urgent, failed, routine, pending), then arrival; filters ae, modality, priority, state, limit.");
        return api;
    }

    private static async Task<Results<JsonHttpResult<List<WorklistView>>, ProblemHttpResult>> ListAsync(NodeDatabase database, string? ae, string? modality,
        string? priority, string? state, int? limit, CancellationToken cancellationToken)
    {
        var query = WorklistView.Query(ae, modality, priority, state, limit, out var error);
        if (error is not null)
        {
            var colon = error.IndexOf(':', StringComparison.Ordinal);
            return Problems.BadRequest(error[..colon], error[(colon + 2)..]);
        }

        var entries = await database.Triage.WorklistAsync(query, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(entries.Select(WorklistView.From).ToList(), WorklistJsonContext.Default.ListWorklistView);
    }
}
