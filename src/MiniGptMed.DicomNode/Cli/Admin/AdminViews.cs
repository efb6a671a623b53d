using System.Text.Json;
using System.Text.Json.Serialization;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Jobs;

namespace MiniGptMed.DicomNode.Cli.Admin;

/// <summary>A job as <c>jobs list|show --json</c> prints it: the row, states as stored text, the payload as JSON (not a string).</summary>
internal sealed record JobView
{
    public required long Id { get; init; }

    public required string Kind { get; init; }

    public required string State { get; init; }

    public required string IdempotencyKey { get; init; }

    public required JsonElement Payload { get; init; }

    public required int Priority { get; init; }

    public required int Attempt { get; init; }

    public required int MaxAttempts { get; init; }

    public required DateTimeOffset ScheduledAt { get; init; }

    public string? LeaseOwner { get; init; }

    public DateTimeOffset? LeaseExpiresAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public required IReadOnlyList<JobError> Errors { get; init; }

    public static JobView From(Job job) => new()
    {
        Id = job.Id,
        Kind = job.Kind,
        State = job.State.ToText(),
        IdempotencyKey = job.IdempotencyKey,
        Payload = ParsePayload(job.Payload),
        Priority = job.Priority,
        Attempt = job.Attempt,
        MaxAttempts = job.MaxAttempts,
        ScheduledAt = job.ScheduledAt,
        LeaseOwner = job.LeaseOwner,
        LeaseExpiresAt = job.LeaseExpiresAt,
        CreatedAt = job.CreatedAt,
        UpdatedAt = job.UpdatedAt,
        FinishedAt = job.FinishedAt,
        Errors = job.Errors,
    };

    // Both engines check the payload is JSON (CHECK json_valid / jsonb); parsed defensively all the same.
    private static JsonElement ParsePayload(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var text = JsonDocument.Parse(JsonSerializer.Serialize(payload, AdminJsonContext.Default.String));
            return text.RootElement.Clone();
        }
    }
}

/// <summary>Where one piece of a study's work stands, taken from its latest job.</summary>
internal sealed record WorkView
{
    public required long JobId { get; init; }

    public required string State { get; init; }

    public required int Attempt { get; init; }

    public required int MaxAttempts { get; init; }

    public required DateTimeOffset QueuedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The last attempt's error, if any.</summary>
    public string? LastError { get; init; }

    public static WorkView From(Job job) => new()
    {
        JobId = job.Id,
        State = job.State.ToText(),
        Attempt = job.Attempt,
        MaxAttempts = job.MaxAttempts,
        QueuedAt = job.CreatedAt,
        FinishedAt = job.FinishedAt,
        LastError = job.Errors.Count > 0 ? job.Errors[^1].Message : null,
    };
}

/// <summary>The export of a study's results to one destination (its latest export job).</summary>
internal sealed record ExportView
{
    public required string Destination { get; init; }

    public required WorkView Work { get; init; }
}

/// <summary>One assembly group (<c>studies</c> row) with its analysis and exports, as <c>studies list|show</c> prints it.</summary>
internal sealed record StudyView
{
    public required string CalledAe { get; init; }

    public required string GroupUid { get; init; }

    public required string Level { get; init; }

    public required string StudyInstanceUid { get; init; }

    public required int InstanceCount { get; init; }

    public required DateTimeOffset FirstReceivedAt { get; init; }

    public required DateTimeOffset LastReceivedAt { get; init; }

    public required string State { get; init; }

    public required DateTimeOffset StateChangedAt { get; init; }

    /// <summary>
    /// When the group was found stable: the time its analysis was queued (the assembly queues it at that moment);
    /// null while receiving or when no analysis was queued (ignored).
    /// </summary>
    public DateTimeOffset? StableAt { get; init; }

    /// <summary>The latest analysis job of the group; null when none was queued.</summary>
    public WorkView? Analysis { get; init; }

    /// <summary>The latest finished analysis's summary (finding labels and counts, or "no findings"); null before one finished.</summary>
    public string? Findings { get; init; }

    public required IReadOnlyList<ExportView> Exports { get; init; }

    public static string LevelText(GroupLevel level) => level == GroupLevel.Series ? "series" : "study";

    public static string StateText(StudyState state) => state.ToString().ToLowerInvariant();
}

/// <summary>What <c>studies show</c> prints: the groups of one study (one per listening AE that received it) and its series.</summary>
internal sealed record StudyDetailView
{
    public required string Uid { get; init; }

    public required IReadOnlyList<StudyView> Groups { get; init; }

    public required IReadOnlyList<SeriesView> Series { get; init; }
}

/// <summary>One series of a study as the catalogue knows it.</summary>
internal sealed record SeriesView
{
    public required string SeriesInstanceUid { get; init; }

    public int? SeriesNumber { get; init; }

    public string? Modality { get; init; }

    public string? BodyPart { get; init; }

    public string? Description { get; init; }

    public required int Instances { get; init; }

    public required long Bytes { get; init; }
}

/// <summary>Source-generated JSON for the admin verbs (AOT-safe, no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(List<JobView>))]
[JsonSerializable(typeof(JobView))]
[JsonSerializable(typeof(List<StudyView>))]
[JsonSerializable(typeof(StudyDetailView))]
[JsonSerializable(typeof(string))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
