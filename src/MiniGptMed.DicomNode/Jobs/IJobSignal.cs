namespace MiniGptMed.DicomNode.Jobs;

/// <summary>
/// Wakes idle workers when a job may have become claimable. Only a hint: the job itself is always read from the
/// table, and workers poll as well, so a lost signal delays work by at most <see cref="JobOptions.PollSeconds"/>.
/// </summary>
public interface IJobSignal
{
    /// <summary>Wakes every waiter of this process.</summary>
    void Notify();

    /// <summary>
    /// Completes at the first <see cref="Notify"/> after it was read. Read it before looking at the table and wait
    /// on it after finding nothing there: a notification in between is then not lost.
    /// </summary>
    Task Next { get; }
}

/// <summary>In-process wake-up: enough for SQLite, where every writer of the queue is this process (the CLI's `jobs retry` is seen by the poll).</summary>
public sealed class InProcessJobSignal : IJobSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
