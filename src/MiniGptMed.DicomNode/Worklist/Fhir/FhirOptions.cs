using MiniGptMed.DicomNode.Worklist.Notices;

namespace MiniGptMed.DicomNode.Worklist.Fhir;

/// <summary>
/// <c>Worklist:Fhir</c>: one transaction Bundle per analysed study version to a FHIR R4 server; on when
/// <see cref="BaseUrl"/> is set. Authorisation is a fixed bearer token, OAuth 2.0 client credentials
/// (<see cref="OAuth"/>), or none (a server on a trusted network).
/// </summary>
public sealed class FhirOptions : ChannelResilienceOptions
{
    public const string ChannelName = "fhir";

    /// <summary>The server's base URL (the transaction endpoint: a Bundle is POSTed to it).</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>Sent as <c>Authorization: Bearer</c>; leave empty with <see cref="OAuth"/>.</summary>
    public string BearerToken { get; set; } = "";

    public FhirOAuthOptions OAuth { get; set; } = new();

    /// <summary>The longest answer read back (bytes), an OperationOutcome or a transaction-response: never buffered without bound.</summary>
    public int MaxResponseBytes { get; set; } = 1024 * 1024;
}

/// <summary>
/// OAuth 2.0 client credentials grant (RFC 6749 4.4): the client authenticates with HTTP Basic (2.3.1), the token is
/// kept until shortly before <c>expires_in</c> runs out and fetched again after a 401.
/// </summary>
public sealed class FhirOAuthOptions
{
    public string TokenUrl { get; set; } = "";

    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    /// <summary>Space-separated scopes, e.g. <c>system/DiagnosticReport.c system/Observation.c system/Task.c</c>.</summary>
    public string Scope { get; set; } = "";

    public bool Enabled => !string.IsNullOrWhiteSpace(TokenUrl);
}
