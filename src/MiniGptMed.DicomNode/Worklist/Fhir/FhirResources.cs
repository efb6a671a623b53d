using System.Text.Json.Serialization;

namespace MiniGptMed.DicomNode.Worklist.Fhir;

// The slice of FHIR R4 (4.0.1) the node writes, as records serialised by System.Text.Json source generation
// (FhirJsonContext): reflection-free, so the Native AOT binary writes exactly what the tests validate. Firely's
// serializer (Hl7.Fhir.R4) maps its POCOs by reflection over their properties and attributes, unannotated for the
// trimmer; the tests parse and validate what these records produce with Firely's SDK and validator instead.
// Empty lists are null (FHIR JSON has no empty arrays, ele-1); nulls are left out.

/// <summary>A resource in a Bundle entry: <c>resourceType</c> is written first, as FHIR JSON wants it.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "resourceType")]
[JsonDerivedType(typeof(FhirDiagnosticReport), "DiagnosticReport")]
[JsonDerivedType(typeof(FhirObservation), "Observation")]
[JsonDerivedType(typeof(FhirTask), "Task")]
public abstract record FhirResource
{
    public IReadOnlyList<FhirIdentifier>? Identifier { get; init; }
}

/// <summary>Bundle (type transaction): processed all or nothing by the server.</summary>
public sealed record FhirBundle
{
    [JsonPropertyOrder(-1)]
    public string ResourceType { get; } = "Bundle";

    public required string Type { get; init; }

    public FhirIdentifier? Identifier { get; init; }

    public string? Timestamp { get; init; }

    public required IReadOnlyList<FhirBundleEntry> Entry { get; init; }
}

public sealed record FhirBundleEntry(string FullUrl, FhirResource Resource, FhirBundleRequest Request);

/// <summary>Bundle.entry.request: <c>ifNoneExist</c> makes the POST a conditional create (FHIR R4 3.1.0.8.1).</summary>
public sealed record FhirBundleRequest(string Method, string Url, string? IfNoneExist);

public sealed record FhirCoding(string? System, string Code, string? Display = null);

public sealed record FhirCodeableConcept(IReadOnlyList<FhirCoding>? Coding, string? Text = null);

public sealed record FhirIdentifier
{
    public FhirCodeableConcept? Type { get; init; }

    public string? System { get; init; }

    public required string Value { get; init; }

    public FhirReference? Assigner { get; init; }
}

/// <summary>A Reference: literal (<c>reference</c>, here a <c>urn:uuid:</c> fullUrl of the same Bundle) or logical (<c>identifier</c>).</summary>
public sealed record FhirReference
{
    public string? Reference { get; init; }

    public string? Type { get; init; }

    public FhirIdentifier? Identifier { get; init; }

    public string? Display { get; init; }
}

public sealed record FhirQuantity(decimal Value, string Unit, string System, string Code);

public sealed record FhirObservationComponent
{
    public required FhirCodeableConcept Code { get; init; }

    public FhirQuantity? ValueQuantity { get; init; }

    public string? ValueString { get; init; }
}

public sealed record FhirAnnotation(string Text);

public sealed record FhirDiagnosticReport : FhirResource
{
    public IReadOnlyList<FhirReference>? BasedOn { get; init; }

    public required string Status { get; init; }

    public required IReadOnlyList<FhirCodeableConcept> Category { get; init; }

    public required FhirCodeableConcept Code { get; init; }

    public FhirReference? Subject { get; init; }

    public required string Issued { get; init; }

    public IReadOnlyList<FhirReference>? Result { get; init; }

    public required IReadOnlyList<FhirReference> ImagingStudy { get; init; }

    public string? Conclusion { get; init; }

    public IReadOnlyList<FhirCodeableConcept>? ConclusionCode { get; init; }
}

public sealed record FhirObservation : FhirResource
{
    public required string Status { get; init; }

    public required IReadOnlyList<FhirCodeableConcept> Category { get; init; }

    public required FhirCodeableConcept Code { get; init; }

    public FhirReference? Subject { get; init; }

    public required string Issued { get; init; }

    public FhirCodeableConcept? ValueCodeableConcept { get; init; }

    public IReadOnlyList<FhirAnnotation>? Note { get; init; }

    public required IReadOnlyList<FhirReference> DerivedFrom { get; init; }

    public IReadOnlyList<FhirObservationComponent>? Component { get; init; }
}

public sealed record FhirTask : FhirResource
{
    public required string Status { get; init; }

    public required string Intent { get; init; }

    public required string Priority { get; init; }

    public required FhirCodeableConcept Code { get; init; }

    public string? Description { get; init; }

    public required FhirReference Focus { get; init; }

    public FhirReference? For { get; init; }

    public required string AuthoredOn { get; init; }
}

/// <summary>An OAuth 2.0 token response (RFC 6749 5.1).</summary>
public sealed record OAuthTokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("expires_in")] long? ExpiresIn);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(FhirBundle))]
[JsonSerializable(typeof(OAuthTokenResponse))]
internal sealed partial class FhirJsonContext : JsonSerializerContext;
