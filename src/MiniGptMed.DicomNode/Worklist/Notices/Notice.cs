using System.Text.Json.Serialization;
using MiniGptMed.DicomNode.Worklist.Triage;

namespace MiniGptMed.DicomNode.Worklist.Notices;

/// <summary>The payload of a <c>notify</c> job: one analysed study version to one channel.</summary>
public sealed record NotifyPayload(string CalledAe, string GroupUid, string StudyInstanceUid, long Version, string Channel);

/// <summary>
/// What a channel tells the worklist about one analysed study version. Patient and order data come from the SR the
/// analysis wrote (which carries the source's Patient and General Study modules); they go to the RIS, never to logs.
/// </summary>
public sealed record Notice
{
    public required string CalledAe { get; init; }

    public required string GroupUid { get; init; }

    public required string StudyInstanceUid { get; init; }

    /// <summary>The analysis (analyse job id): the same version gives the same message ids on every channel.</summary>
    public required long Version { get; init; }

    public string? AccessionNumber { get; init; }

    public string? PatientId { get; init; }

    public string? IssuerOfPatientId { get; init; }

    /// <summary>DICOM PN form (family^given^middle^prefix^suffix).</summary>
    public string? PatientName { get; init; }

    /// <summary>DICOM DA (YYYYMMDD).</summary>
    public string? PatientBirthDate { get; init; }

    public string? PatientSex { get; init; }

    public string? Modality { get; init; }

    public string? StudyDescription { get; init; }

    public required TriagePriority Priority { get; init; }

    public required string Summary { get; init; }

    public string? Narrative { get; init; }

    public required IReadOnlyList<TriageFinding> Findings { get; init; }

    public required DateTimeOffset AnalysedAt { get; init; }

    /// <summary>The SR's SOP Instance UID, when it was found.</summary>
    public string? ReportUid { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(NotifyPayload))]
internal sealed partial class NoticeJsonContext : JsonSerializerContext;
