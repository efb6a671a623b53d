using System.Text.Json.Serialization;

namespace MiniGptMed.DicomNode.Worklist.Triage;

/// <summary>
/// One finding as the worklist and the notices see it: the model's phrase, its code (SNOMED CT where known, else the
/// node's private scheme, as in the SR), the model's confidence (0..1, null when unknown), how many regions it has
/// and where they are (null in rows written before the regions were kept).
/// </summary>
public sealed record TriageFinding(string? Phrase, string Code, string Scheme, string Meaning, double? Confidence, int Regions,
    IReadOnlyList<FindingRegion>? Boxes = null);

/// <summary>
/// A finding's region: a rectangle on one frame of a source image, in its pixels (column, row; 0,0 the top left corner
/// of the top left pixel, PS3.3 C.18.6.1.2), as the SR's SCOORD has it.
/// </summary>
public sealed record FindingRegion(string SopInstanceUid, int Frame, double X1, double Y1, double X2, double Y2);

/// <summary>What the triage row keeps besides the priority: the narrative (a report answer) and the findings.</summary>
public sealed record TriageContent(string? Narrative, IReadOnlyList<TriageFinding> Findings);

/// <summary>Source-generated JSON for the triage row and the notices (AOT-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TriageContent))]
internal sealed partial class TriageJsonContext : JsonSerializerContext;
