using System.Text.Json.Serialization;
using MiniGptMed.DicomNode.Cli.Admin;
using MiniGptMed.DicomNode.Http.Health;
using MiniGptMed.DicomNode.Reception;

namespace MiniGptMed.DicomNode.Http.Api;

/// <summary>Source-generated JSON for the HTTP API (AOT: no reflection); the same views the CLI's <c>--json</c> prints.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(List<JobView>))]
[JsonSerializable(typeof(JobView))]
[JsonSerializable(typeof(List<StudyView>))]
[JsonSerializable(typeof(StudyDetailView))]
[JsonSerializable(typeof(IReadOnlyList<AssociationInfo>))]
[JsonSerializable(typeof(JobCountsView))]
[JsonSerializable(typeof(HealthReport))]
internal sealed partial class HttpJsonContext : JsonSerializerContext;

/// <summary>Jobs per state (every state, zeros included).</summary>
internal sealed record JobCountsView(IReadOnlyDictionary<string, int> ByState);
