namespace MiniGptMed.DicomNode.Jobs;

/// <summary>One attempt's failure, as kept in <c>jobs.errors</c> (oldest first).</summary>
public sealed record JobError(DateTimeOffset At, int Attempt, string Message);

/// <summary>A row of the jobs table.</summary>
public sealed record Job
{
    public required long Id { get; init; }

    public required string Kind { get; init; }

    /// <summary>Unique across the table: enqueuing the same key again gives this job, not a second one.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The work's parameters as JSON (read with a source-generated <c>JsonTypeInfo</c>).</summary>
    public required string Payload { get; init; }

    public required JobState State { get; init; }

    /// <summary>0 runs first, 9 last.</summary>
    public required int Priority { get; init; }

    /// <summary>Attempts started so far (a claim counts one).</summary>
    public required int Attempt { get; init; }

    public required int MaxAttempts { get; init; }

    /// <summary>Not claimed before this time (a retry's backoff, or a job scheduled for later).</summary>
    public required DateTimeOffset ScheduledAt { get; init; }

    public string? LeaseOwner { get; init; }

    public DateTimeOffset? LeaseExpiresAt { get; init; }

    public required IReadOnlyList<JobError> Errors { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }
}

/// <summary>What to enqueue.</summary>
public sealed record JobRequest
{
    public required string Kind { get; init; }

    /// <summary>Names the effect, so that asking twice gives one job: <c>analyse:MINIGPTMED:1.2.3</c>.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>JSON; see <see cref="Create{T}"/> for a typed payload.</summary>
    public string Payload { get; init; } = "{}";

    public int Priority { get; init; } = 4;

    /// <summary>Null: <c>Jobs:MaxAttempts</c>.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Null: now.</summary>
    public DateTimeOffset? ScheduledAt { get; init; }

    /// <summary>A request whose payload is <paramref name="payload"/> serialised by source-generated metadata (AOT-safe).</summary>
    public static JobRequest Create<T>(string kind, string idempotencyKey, T payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        new() { Kind = kind, IdempotencyKey = idempotencyKey, Payload = System.Text.Json.JsonSerializer.Serialize(payload, typeInfo) };
}

/// <summary>The outcome of an enqueue: the job's id, and whether this call created it.</summary>
public readonly record struct EnqueueResult(long Id, bool Created);

/// <summary>A filter for listing jobs; empty sets mean all.</summary>
public sealed record JobQuery
{
    public IReadOnlyCollection<JobState> States { get; init; } = [];

    public IReadOnlyCollection<string> Kinds { get; init; } = [];

    public int Limit { get; init; } = 100;
}
