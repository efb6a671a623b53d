using System.Text.Json.Serialization;

namespace MiniGptMed.DicomNode.Worklist.Triage;

/// <summary>
/// One finding as the worklist and the notices see it: the model's phrase, its code (SNOMED CT where known, else the
/// node's private scheme, as in the SR), the model's confidence (0..1, null when unknown) and how many regions it has.
/// </summary>
public sealed record TriageFinding(string? Phrase, string Code, string Scheme, string Meaning, double? Confidence, int Regions);

/// <summary>What the triage row keeps besides the priority: the narrative (a report answer) and the findings.</summary>
public sealed record TriageContent(string? Narrative, IReadOnlyList<TriageFinding> Findings);

/// <summary>Source-generated JSON for the triage row and the notices (AOT-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TriageContent))]
internal sealed partial class TriageJsonContext : JsonSerializerContext;
