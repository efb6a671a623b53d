namespace MiniGptMed.DicomNode.Worklist.Triage;

/// <summary>The triage rows and the worklist query over them (both engines; <c>study_triage</c>, migration 0005).</summary>
public interface ITriageStore
{
    /// <summary>Writes the group's triage, replacing an older one (a re-analysis): the row with the higher version wins.</summary>
    Task SaveAsync(StudyTriage triage, CancellationToken cancellationToken = default);

    Task<StudyTriage?> GetAsync(string calledAe, string groupUid, CancellationToken cancellationToken = default);

    /// <summary>Studies by priority (stat, urgent, failed, routine, then not yet triaged), then arrival (first instance).</summary>
    Task<IReadOnlyList<WorklistEntry>> WorklistAsync(WorklistQuery query, CancellationToken cancellationToken = default);
}
