using System.Text.Json.Serialization;
using MiniGptMed.DicomNode.Worklist.Triage;

namespace MiniGptMed.DicomNode.Worklist.Webhook;

/// <summary>
/// A CloudEvents 1.0 event in the structured JSON format (CloudEvents JSON Event Format 1.0): the context attributes
/// at the top, the event's own data under <c>data</c>. <c>id</c> is the delivery id: the same for every attempt of
/// one study version to one webhook, so (source, id) identifies the delivery as the specification asks.
/// </summary>
public sealed record CloudEvent
{
    public const string AnalysedType = "org.minigptmed.study.analysed";

    [JsonPropertyName("specversion")]
    public string SpecVersion { get; init; } = "1.0";

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("source")]
    public required string Source { get; init; }

    [JsonPropertyName("type")]
    public string Type { get; init; } = AnalysedType;

    [JsonPropertyName("subject")]
    public required string Subject { get; init; }

    [JsonPropertyName("time")]
    public required DateTimeOffset Time { get; init; }

    [JsonPropertyName("datacontenttype")]
    public string DataContentType { get; init; } = "application/json";

    [JsonPropertyName("data")]
    public required StudyAnalysedData Data { get; init; }
}

/// <summary>
/// The event's data: what was found and how urgent it is, with the study and accession to find the order by. No
/// patient name or ID: a webhook may reach systems that should not hold them (the HL7 channel carries them).
/// </summary>
public sealed record StudyAnalysedData(
    string StudyInstanceUid,
    string? AccessionNumber,
    string CalledAe,
    long Version,
    string? Modality,
    string Priority,
    string Summary,
    string? Narrative,
    IReadOnlyList<TriageFinding> Findings,
    string? ReportSopInstanceUid);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CloudEvent))]
internal sealed partial class CloudEventJsonContext : JsonSerializerContext;
