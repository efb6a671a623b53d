namespace MiniGptMed.DicomNode.Jobs;

/// <summary>
/// Where a job stands (docs/database.md draws the transitions). Claimable: <see cref="Pending"/> and
/// <see cref="Retrying"/> once <c>scheduled_at</c> has passed. Finished: <see cref="Succeeded"/>,
/// <see cref="DeadLetter"/>, <see cref="Cancelled"/> (the last two can be retried by an admin).
/// </summary>
public enum JobState
{
    Pending,
    Running,
    Succeeded,
    Retrying,
    DeadLetter,
    Cancelled,
}

/// <summary>The text stored in <c>jobs.state</c>, and what the CLI shows.</summary>
public static class JobStates
{
    public static string ToText(this JobState state) => state switch
    {
        JobState.Pending => "pending",
        JobState.Running => "running",
        JobState.Succeeded => "succeeded",
        JobState.Retrying => "retrying",
        JobState.DeadLetter => "dead_letter",
        JobState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>Parses the stored text, and also <c>dead-letter</c> as a user types it.</summary>
    public static bool TryParse(string? text, out JobState state)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "pending": state = JobState.Pending; return true;
            case "running": state = JobState.Running; return true;
            case "succeeded": state = JobState.Succeeded; return true;
            case "retrying": state = JobState.Retrying; return true;
            case "dead_letter" or "dead-letter": state = JobState.DeadLetter; return true;
            case "cancelled": state = JobState.Cancelled; return true;
            default: state = default; return false;
        }
    }

    public static JobState Parse(string text) =>
        TryParse(text, out var state) ? state : throw new FormatException($"'{text}' is not a job state.");
}
