using System.Text.Json;
using System.Text.Json.Serialization;

namespace MiniGptMed.Inference.Model;

/// <summary>
/// Source-generated reader for manifest.json: no reflection at run time, so the executable can be published with
/// Native AOT (reflection-based System.Text.Json is not available there).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ModelManifest))]
internal sealed partial class ModelManifestJsonContext : JsonSerializerContext;
