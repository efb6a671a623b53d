namespace MiniGptMed.DicomNode.Catalogue;

/// <summary>
/// The catalogue of stored instances and of the groups being assembled (docs/database.md). Recording is batched
/// (group commit) and does not fsync: the sealed files are the truth, and <see cref="ReconcileAsync"/> at start
/// restores what a crash lost. Assembly's clock is the rows' received times, so a restart neither loses nor resets it.
/// </summary>
public interface ICatalogue
{
    /// <summary>
    /// Records (or replaces, by SOP Instance UID) one instance and updates its group; completes when the batch that
    /// holds the row has committed. Many concurrent calls share one commit. True when the SOP Instance UID had a row
    /// before (the instance replaces one the node held: the audit's "held before", answered by the write itself
    /// rather than by a look-up per instance).
    /// </summary>
    Task<bool> RecordAsync(InstanceRecord instance, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the row of one instance and counts it out of its group (the reception's undo of a row recorded for an
    /// instance whose store then failed). False when there was no row.
    /// </summary>
    Task<bool> RemoveAsync(string sopInstanceUid, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the rows match the stored files: adds or corrects the rows of files the catalogue lacks or has wrong
    /// (path, size), removes the rows of files that are gone, and recounts the groups it touched.
    /// </summary>
    Task<ReconcileResult> ReconcileAsync(IAsyncEnumerable<InstanceRecord> storedFiles, CancellationToken cancellationToken = default);

    Task<InstanceRecord?> InstanceAsync(string sopInstanceUid, CancellationToken cancellationToken = default);

    /// <summary>The instances of a study (any AE), or of one series of it, in series then instance number order.</summary>
    Task<IReadOnlyList<InstanceRecord>> InstancesAsync(string studyInstanceUid, string? seriesInstanceUid = null, CancellationToken cancellationToken = default);

    /// <summary>The instances of one assembly group.</summary>
    Task<IReadOnlyList<InstanceRecord>> GroupInstancesAsync(string calledAe, string groupUid, CancellationToken cancellationToken = default);

    Task<StudyRecord?> StudyAsync(string calledAe, string groupUid, CancellationToken cancellationToken = default);

    /// <summary>Groups, newest activity first; all states when <paramref name="state"/> is null.</summary>
    Task<IReadOnlyList<StudyRecord>> StudiesAsync(StudyState? state = null, int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>
    /// Receiving groups (of <paramref name="calledAe"/>, or every AE when null) whose last instance is older than
    /// <paramref name="stableAfter"/> or whose first is older than <paramref name="maxWait"/>, oldest first.
    /// </summary>
    Task<IReadOnlyList<DueStudy>> DueStudiesAsync(string? calledAe, TimeSpan stableAfter, TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>
    /// Per listening AE with receiving groups: the oldest last arrival and the oldest first arrival among them. The
    /// earliest moment any of them becomes due is the oldest last arrival plus that AE's quiet time, or the oldest first
    /// arrival plus its maximum wait, so assembly can sleep exactly until then instead of polling.
    /// </summary>
    Task<IReadOnlyList<ReceivingExtent>> ReceivingExtentsAsync(CancellationToken cancellationToken = default);

    /// <summary>Analysed or ignored groups with instances their last decision did not cover, oldest last arrival first.</summary>
    Task<IReadOnlyList<StudyRecord>> LateArrivalStudiesAsync(CancellationToken cancellationToken = default);

    /// <summary>Moves a group from <paramref name="from"/> to <paramref name="to"/>; false when it was not in <paramref name="from"/> (someone else moved it).</summary>
    Task<bool> TransitionStudyAsync(string calledAe, string groupUid, StudyState from, StudyState to, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a decision on a group: moves it from <paramref name="from"/> to <paramref name="to"/> (analysed, ignored)
    /// and keeps the last arrival the decision covered and the findings summary (null clears it); false when the group
    /// was not in <paramref name="from"/>.
    /// </summary>
    Task<bool> RecordDecisionAsync(string calledAe, string groupUid, StudyState from, StudyState to, DateTimeOffset coveredThrough, string? findings,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a group's late arrivals up to <paramref name="through"/> as seen without a new analysis (the Ignore policy);
    /// true only for the call that moved the mark, so that they are reported once, across restarts and nodes.
    /// </summary>
    Task<bool> CoverLateArrivalsAsync(string calledAe, string groupUid, StudyState state, DateTimeOffset through, CancellationToken cancellationToken = default);
}
