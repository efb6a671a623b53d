namespace MiniGptMed.DicomNode.Catalogue;

/// <summary>Where an assembly group stands (<c>studies.state</c>).</summary>
public enum StudyState
{
    /// <summary>Instances are arriving; not yet stable.</summary>
    Receiving,

    /// <summary>No new instance for StableSeconds (or MaxWaitSeconds reached): ready for analysis.</summary>
    Stable,

    /// <summary>An analysis job has been queued or runs.</summary>
    Analysing,

    Analysed,

    Failed,

    /// <summary>No rule matched: nothing to do (logged once with the reason).</summary>
    Ignored,
}

/// <summary>Whether an AE assembles instances by study or by series.</summary>
public enum GroupLevel
{
    Study,
    Series,
}

/// <summary>Why a group is due for analysis.</summary>
public enum DueReason
{
    /// <summary>No new instance for the stable delay.</summary>
    Stable,

    /// <summary>The hard upper bound since its first instance was reached though instances still arrive.</summary>
    MaxWait,
}

/// <summary>A row of <c>studies</c>: one assembly group of one listening AE.</summary>
public sealed record StudyRecord
{
    public required string CalledAe { get; init; }

    /// <summary>The Study Instance UID, or the Series Instance UID for an AE that groups by series.</summary>
    public required string GroupUid { get; init; }

    public required GroupLevel Level { get; init; }

    public required string StudyInstanceUid { get; init; }

    public required DateTimeOffset FirstReceivedAt { get; init; }

    public required DateTimeOffset LastReceivedAt { get; init; }

    public required int InstanceCount { get; init; }

    public required StudyState State { get; init; }

    public required DateTimeOffset StateChangedAt { get; init; }

    /// <summary>The latest analysis's short summary (finding labels and counts, or "no findings"); null before one finished.</summary>
    public string? Findings { get; init; }

    /// <summary>
    /// The last arrival the latest analysis (or decision not to analyse, or late arrivals acknowledged under the Ignore
    /// policy) covered; null on groups decided before the node recorded it.
    /// </summary>
    public DateTimeOffset? CoveredThrough { get; init; }

    /// <summary>
    /// Whether instances arrived that the latest decision did not cover: after the analysis read the group's rows,
    /// even while it still ran (before <see cref="CoveredThrough"/> was kept, the state change stood for it).
    /// </summary>
    public bool HasLateArrivals => LastReceivedAt > (CoveredThrough ?? StateChangedAt);
}

/// <summary>A group due for analysis, and why.</summary>
public sealed record DueStudy(StudyRecord Study, DueReason Reason);

/// <summary>What <see cref="ICatalogue.ReconcileAsync"/> changed.</summary>
public readonly record struct ReconcileResult(int Added, int Updated, int Removed, int Unchanged);

/// <summary>How each listening AE groups its instances; the assembly's per-AE setting.</summary>
public interface IStudyGrouping
{
    GroupLevel LevelFor(string calledAe);
}

/// <summary>Every AE by study (the default).</summary>
public sealed class ByStudyGrouping : IStudyGrouping
{
    public static readonly ByStudyGrouping Instance = new();

    public GroupLevel LevelFor(string calledAe) => GroupLevel.Study;
}

/// <summary>The receiving groups of one listening AE, by their oldest arrivals (<see cref="ICatalogue.ReceivingExtentsAsync"/>).</summary>
public sealed record ReceivingExtent(string CalledAe, DateTimeOffset OldestLastReceivedAt, DateTimeOffset OldestFirstReceivedAt);
