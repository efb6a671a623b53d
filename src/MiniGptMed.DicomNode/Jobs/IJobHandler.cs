namespace MiniGptMed.DicomNode.Jobs;

/// <summary>
/// Runs the jobs of one kind (registered in dependency injection; <see cref="JobWorker"/> finds it by
/// <see cref="Kind"/>). A job may run more than once (a worker that died after the effect but before recording
/// it), so every effect must be idempotent: stable result UIDs, a destination that replaces the same instance.
/// Return to succeed; throw to fail the attempt (retried with backoff); throw
/// <see cref="PermanentJobFailureException"/> when retrying cannot help (dead-letter at once).
/// </summary>
public interface IJobHandler
{
    string Kind { get; }

    /// <summary><paramref name="cancellationToken"/> fires when the node stops or the job's lease is lost (cancelled, taken over).</summary>
    Task HandleAsync(Job job, CancellationToken cancellationToken);
}

/// <summary>A failure that another attempt would repeat (a destination refusing the instance): the job is dead-lettered at once.</summary>
public sealed class PermanentJobFailureException : Exception
{
    public PermanentJobFailureException()
    {
    }

    public PermanentJobFailureException(string message)
        : base(message)
    {
    }

    public PermanentJobFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
