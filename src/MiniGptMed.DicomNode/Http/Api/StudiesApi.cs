using Microsoft.AspNetCore.Http.HttpResults;
using MiniGptMed.Dicom.Data;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Cli.Admin;
using MiniGptMed.DicomNode.Database;

namespace MiniGptMed.DicomNode.Http.Api;

/// <summary><c>/api/studies</c>: what <c>minigptmed studies list|show</c> prints, as JSON.</summary>
internal static class StudiesApi
{
    public static RouteGroupBuilder MapStudiesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/studies").WithTags("Studies");
        group.MapGet("/", ListAsync).WithSummary("The received studies (assembly groups), newest first, with analysis and exports.");
        group.MapGet("/{uid}", ShowAsync).WithSummary("One study's groups and series.");
        return api;
    }

    private static async Task<Results<Ok<List<StudyView>>, ProblemHttpResult>> ListAsync(NodeDatabase database, string? state, int? limit, CancellationToken cancellationToken)
    {
        StudyState? filter = null;
        if (state is not null)
        {
            var match = Enum.GetValues<StudyState>().Where(s => string.Equals(StudyView.StateText(s), state.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
            if (match.Count == 0)
            {
                return Problems.BadRequest("state", $"'{state}' is not a study state ({string.Join(", ", Enum.GetValues<StudyState>().Select(StudyView.StateText))}).");
            }

            filter = match[0];
        }

        if (limit is < 1 or > 100_000)
        {
            return Problems.BadRequest("limit", $"{limit} is not 1..100000.");
        }

        var studies = await new StudyOverview(database.Catalogue, database.Jobs).ListAsync(filter, limit ?? 100, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(studies.ToList());
    }

    private static async Task<Results<Ok<StudyDetailView>, ProblemHttpResult>> ShowAsync(string uid, NodeDatabase database, CancellationToken cancellationToken)
    {
        if (!DicomUid.IsValid(uid))
        {
            return Problems.BadRequest("uid", $"'{uid}' is not a UID (PS3.5 9.1: digits and dots, at most 64 characters).");
        }

        return await new StudyOverview(database.Catalogue, database.Jobs).ShowAsync(uid, cancellationToken).ConfigureAwait(false) is { } study
            ? TypedResults.Ok(study)
            : Problems.NotFound($"study {uid} not found.");
    }
}
