namespace MiniGptMed.DicomNode.Worklist.Triage;

/// <summary>A row of <c>study_triage</c>: the triage of one assembly group, from the analysis <see cref="Version"/>.</summary>
public sealed record StudyTriage
{
    public required string CalledAe { get; init; }

    public required string GroupUid { get; init; }

    /// <summary>The analyse job that produced it: notices of an older version are not sent.</summary>
    public required long Version { get; init; }

    public required TriagePriority Priority { get; init; }

    public required string Summary { get; init; }

    public string? Rule { get; init; }

    public string? Modality { get; init; }

    public required TriageContent Content { get; init; }

    public required DateTimeOffset DecidedAt { get; init; }
}

/// <summary>Filters of the worklist; null = any.</summary>
public sealed record WorklistQuery
{
    public string? CalledAe { get; init; }

    public string? Modality { get; init; }

    public TriagePriority? Priority { get; init; }

    public Catalogue.StudyState? State { get; init; }

    public int Limit { get; init; } = 200;
}

/// <summary>One line of the reading worklist: the group, where it stands, and its triage (null until analysed).</summary>
public sealed record WorklistEntry(Catalogue.StudyRecord Study, string? Modality, StudyTriage? Triage);
