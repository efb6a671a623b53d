namespace MiniGptMed.DicomNode.Jobs;

/// <summary>
/// The durable work queue (docs/database.md). Every operation is one transaction; a claim hands a job to exactly
/// one owner until its lease expires; operations that need the lease (renew, complete, fail, release) do nothing
/// and return false/null when the caller no longer holds it (cancelled, or rescued and taken over).
/// </summary>
public interface IJobQueue
{
    /// <summary>Adds a pending job, or returns the one that already has this idempotency key.</summary>
    Task<EnqueueResult> EnqueueAsync(JobRequest request, CancellationToken cancellationToken = default);

    /// <summary>Claims up to <paramref name="limit"/> due jobs of the given kinds, priority then time order, counting an attempt each.</summary>
    Task<IReadOnlyList<Job>> ClaimAsync(string owner, IReadOnlyCollection<string> kinds, int limit, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease; false when it is no longer the caller's (the job was cancelled or taken over).</summary>
    Task<bool> RenewLeaseAsync(long id, string owner, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Marks the job succeeded; false when the lease is no longer the caller's.</summary>
    Task<bool> CompleteAsync(long id, string owner, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the failure; the job is retried after a backoff, or dead-lettered when it was the last attempt or
    /// <paramref name="permanent"/>. Returns the new state, or null when the lease is no longer the caller's.
    /// </summary>
    Task<JobState?> FailAsync(long id, string owner, string error, bool permanent = false, CancellationToken cancellationToken = default);

    /// <summary>Gives a running job back without counting the attempt (the worker is stopping); false when not the caller's.</summary>
    Task<bool> ReleaseAsync(long id, string owner, CancellationToken cancellationToken = default);

    /// <summary>Cancels a pending, retrying or running job (a running one's worker loses its lease at the next renewal).</summary>
    Task<bool> CancelAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Makes a dead-lettered or cancelled job pending again with its attempts reset; its error history stays.</summary>
    Task<bool> RetryAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Running jobs whose lease expired become retrying (due now), or dead-lettered after their last attempt; returns how many.</summary>
    Task<int> RescueExpiredAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes succeeded and cancelled jobs finished more than <paramref name="retention"/> ago; returns how many.</summary>
    Task<int> PruneAsync(TimeSpan retention, CancellationToken cancellationToken = default);

    Task<Job?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<Job>> ListAsync(JobQuery query, CancellationToken cancellationToken = default);

    /// <summary>How many jobs are in each state (states with none are absent).</summary>
    Task<IReadOnlyDictionary<JobState, int>> CountByStateAsync(CancellationToken cancellationToken = default);
}
