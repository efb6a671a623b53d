using System.Text.Json.Serialization;

namespace MiniGptMed.DicomNode.Administration;

/// <summary>
/// Source-generated JSON for the configuration items (stored in the database, printed by <c>--json</c>, served by the
/// HTTP API): camelCase, enums as text, no reflection (trimming- and AOT-safe).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never, WriteIndented = false)]
[JsonSerializable(typeof(ListeningAe))]
[JsonSerializable(typeof(Source))]
[JsonSerializable(typeof(Destination))]
[JsonSerializable(typeof(AnalysisRule))]
[JsonSerializable(typeof(IReadOnlyList<ListeningAe>))]
[JsonSerializable(typeof(IReadOnlyList<Source>))]
[JsonSerializable(typeof(IReadOnlyList<Destination>))]
[JsonSerializable(typeof(IReadOnlyList<AnalysisRule>))]
[JsonSerializable(typeof(IReadOnlyList<FieldError>))]
[JsonSerializable(typeof(IReadOnlyList<ConfigChange>))]
public sealed partial class AdministrationJsonContext : JsonSerializerContext;
