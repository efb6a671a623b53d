using System.Text.Json.Serialization;

namespace MiniGptMed.DicomNode.Jobs;

/// <summary>The payload of an <see cref="JobKinds.Analyse"/> job: which assembly group to analyse.</summary>
public sealed record AnalysePayload(string CalledAe, string GroupUid, string StudyInstanceUid);

/// <summary>The payload of an <see cref="JobKinds.Export"/> job: one study's results to one destination.</summary>
public sealed record ExportPayload(string StudyInstanceUid, string Destination);

/// <summary>Source-generated JSON for the jobs table (no reflection: trimming- and AOT-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(List<JobError>))]
[JsonSerializable(typeof(AnalysePayload))]
[JsonSerializable(typeof(ExportPayload))]
public sealed partial class JobJsonContext : JsonSerializerContext;
