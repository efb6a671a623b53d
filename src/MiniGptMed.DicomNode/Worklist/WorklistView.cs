using System.Text.Json.Serialization;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Worklist.Triage;

namespace MiniGptMed.DicomNode.Worklist;

/// <summary>One worklist line as <c>GET /api/worklist</c> and <c>minigptmed worklist --json</c> give it (no patient data).</summary>
public sealed record WorklistView(
    string CalledAe,
    string GroupUid,
    string StudyInstanceUid,
    string? Modality,
    string State,
    string Priority,
    string? Summary,
    string? Rule,
    DateTimeOffset FirstReceivedAt,
    int Instances,
    IReadOnlyList<TriageFinding> Findings,
    string ResultsLink)
{
    public static WorklistView From(WorklistEntry e) => new(
        e.Study.CalledAe, e.Study.GroupUid, e.Study.StudyInstanceUid, e.Modality, SqlCatalogue.ToText(e.Study.State),
        e.Triage?.Priority.ToText() ?? "pending", e.Triage?.Summary, e.Triage?.Rule, e.Study.FirstReceivedAt, e.Study.InstanceCount,
        e.Triage?.Content.Findings ?? [], $"/api/studies/{e.Study.StudyInstanceUid}");

    /// <summary>Parses the query's filters; the error names the field.</summary>
    public static WorklistQuery Query(string? ae, string? modality, string? priority, string? state, int? limit, out string? error)
    {
        error = null;
        TriagePriority? p = null;
        if (priority is not null)
        {
            if (TriagePriorities.TryParse(priority, out var parsed))
            {
                p = parsed;
            }
            else
            {
                error = $"priority: '{priority}' is not stat, urgent, failed or routine.";
            }
        }

        StudyState? s = null;
        if (state is not null)
        {
            var match = Enum.GetValues<StudyState>().Where(v => string.Equals(SqlCatalogue.ToText(v), state.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
            if (match.Count == 0)
            {
                error = $"state: '{state}' is not a study state ({string.Join(", ", Enum.GetValues<StudyState>().Select(SqlCatalogue.ToText))}).";
            }
            else
            {
                s = match[0];
            }
        }

        if (limit is < 1 or > 10_000)
        {
            error = $"limit: {limit} is not 1..10000.";
        }

        return new WorklistQuery { CalledAe = ae, Modality = modality, Priority = p, State = s, Limit = limit ?? 200 };
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<WorklistView>))]
internal sealed partial class WorklistJsonContext : JsonSerializerContext;
