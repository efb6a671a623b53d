namespace MiniGptMed.DicomNode.Jobs;

/// <summary>
/// Wakes idle workers when a job may have become claimable. Only a hint: the job itself is always read from the
/// table, and workers poll as well, so a lost signal delays work by at most <see cref="JobOptions.PollSeconds"/>.
/// </summary>
public interface IJobSignal
{
    /// <summary>Wakes every waiter of this process.</summary>
    void Notify();

    /// <summary>Completes at the next <see cref="Notify"/> or after <paramref name="timeout"/>, whichever is first.</summary>
    Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>In-process wake-up: enough for SQLite, where every writer of the queue is this process (the CLI's `jobs retry` is seen by the poll).</summary>
public sealed class InProcessJobSignal(TimeProvider time) : IJobSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var next = Volatile.Read(ref _next).Task;
        try
        {
            await next.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The poll interval passed: the caller looks at the table anyway.
        }
    }
}
