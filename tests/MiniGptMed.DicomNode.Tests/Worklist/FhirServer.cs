using System.Collections.Concurrent;
using System.Text;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using FhirTask = Hl7.Fhir.Model.Task;
using Task = System.Threading.Tasks.Task;

namespace MiniGptMed.DicomNode.Tests.Worklist;

/// <summary>
/// The receiving end of the FHIR channel in the tests (no FHIR server is packaged here): Kestrel on 127.0.0.1, port from
/// the OS, answering as a FHIR R4 server does. Every Bundle posted to <see cref="BaseUrl"/> is parsed with Firely's SDK
/// and validated with Firely.Fhir.Validation.R4 against the R4 base profiles; one with an error is answered 400 with the
/// validator's OperationOutcome and kept in <see cref="Invalid"/>. A valid transaction is processed as a server does
/// it: each entry's <c>ifNoneExist</c> is searched among the identifiers of what was stored (found: 200 with the
/// existing resource's location, nothing created; not found: 201 Created with a new location), <c>urn:uuid:</c>
/// references are resolved to the stored ids, and the answer is a transaction-response Bundle. <see cref="Fail"/>
/// queues answers given instead (400 with an OperationOutcome, 503, 429...). With <see cref="OAuth"/> it also
/// serves a client-credentials token endpoint and wants one of its tokens on every request.
/// </summary>
internal sealed class FhirServer : IAsyncDisposable
{
    public const string ScriptedRefusal = "Patient identifier unknown to the reading worklist (scripted refusal)";

    private static readonly Lazy<Validator> SharedValidator = new(() =>
    {
        var resolver = new CachedResolver(ZipSource.CreateValidationSource());
        return new Validator(resolver, new LocalTerminologyService(resolver));
    });

    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly ConcurrentQueue<int> _script = new();
    private readonly Dictionary<string, Resource> _stored = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byIdentifier = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tokens = new(StringComparer.Ordinal);
    private int _next;

    private FhirServer(WebApplication app, OAuthClient? oauth)
    {
        _app = app;
        OAuth = oauth;
    }

    /// <summary>A client the token endpoint knows, and the lifetime of the tokens it gives.</summary>
    public sealed record OAuthClient(string ClientId, string ClientSecret, int ExpiresInSeconds = 3600);

    public sealed record Answered(int Status, string? BundleIdentifier);

    public OAuthClient? OAuth { get; }

    public string BaseUrl => _app.Urls.First() + "/fhir";

    public string TokenUrl => _app.Urls.First() + "/token";

    /// <summary>Every POST to the base, in order, with the status it was answered.</summary>
    public ConcurrentQueue<Answered> Requests { get; } = new();

    /// <summary>Bundles the validator found errors in, with the errors (the tests expect none).</summary>
    public ConcurrentQueue<string> Invalid { get; } = new();

    public int TokensIssued { get; private set; }

    /// <summary>Answer the next requests with these statuses instead of processing them.</summary>
    public void Fail(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _script.Enqueue(status);
        }
    }

    /// <summary>The stored resources of a type.</summary>
    public IReadOnlyList<T> All<T>() where T : Resource
    {
        lock (_gate)
        {
            return _stored.Values.OfType<T>().ToList();
        }
    }

    public static async Task<FhirServer> StartAsync(OAuthClient? oauth = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FhirServer(app, oauth);
        app.MapPost("/fhir", server.TransactionAsync);
        app.MapPost("/token", server.TokenAsync);
        await app.StartAsync();
        return server;
    }

    /// <summary>Validates <paramref name="json"/> as an R4 resource: the error and fatal issues, one per line (empty: valid).</summary>
    public static IReadOnlyList<string> Errors(string json, out Resource? resource)
    {
        try
        {
            resource = FhirJsonDeserializer.STRICT.DeserializeResource(json);
        }
        catch (DeserializationFailedException ex)
        {
            resource = null;
            return [.. ex.Exceptions.Select(e => "parse: " + e.Message)];
        }

        OperationOutcome outcome;
        lock (SharedValidator)
        {
            outcome = SharedValidator.Value.Validate(resource);
        }

        return [.. outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => $"{i.Severity} {i.Code} at {string.Join(",", i.Expression)}: {i.Details?.Text ?? i.Diagnostics}")];
    }

    private async Task TransactionAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var json = await reader.ReadToEndAsync();
        if (OAuth is not null && !Authorized(context.Request.Headers.Authorization.ToString()))
        {
            await AnswerAsync(context, 401, null, Outcome(OperationOutcome.IssueType.Login, "No valid bearer token"));
            return;
        }

        var errors = Errors(json, out var resource);
        var bundleId = (resource as Bundle)?.Identifier?.Value;
        if (errors.Count > 0)
        {
            Invalid.Enqueue(string.Join('\n', errors));
            await AnswerAsync(context, 400, bundleId, Outcome(OperationOutcome.IssueType.Invalid, string.Join("; ", errors)));
            return;
        }

        if (resource is not Bundle { Type: Bundle.BundleType.Transaction } bundle)
        {
            await AnswerAsync(context, 400, bundleId, Outcome(OperationOutcome.IssueType.NotSupported, "Only transaction Bundles are posted to the base"));
            return;
        }

        if (_script.TryDequeue(out var scripted))
        {
            var text = scripted < 500 && scripted is not (408 or 429) ? ScriptedRefusal : "The server is busy (scripted)";
            await AnswerAsync(context, scripted, bundleId, Outcome(scripted < 500 ? OperationOutcome.IssueType.BusinessRule : OperationOutcome.IssueType.Transient, text));
            return;
        }

        Bundle response;
        lock (_gate)
        {
            response = Process(bundle);
        }

        await AnswerAsync(context, 200, bundleId, response);
    }

    private Bundle Process(Bundle bundle)
    {
        var response = new Bundle { Type = Bundle.BundleType.TransactionResponse };
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        var created = new List<Resource>();
        foreach (var entry in bundle.Entry)
        {
            var type = entry.Request!.Url!;
            var fullUrl = entry.FullUrl!;
            var condition = QueryHelpers.ParseQuery("?" + entry.Request.IfNoneExist);
            var token = condition.TryGetValue("identifier", out var values) ? values.ToString() : null;
            if (token is not null && _byIdentifier.TryGetValue(type + "?" + token, out var existing))
            {
                // FHIR R4 3.1.0.8.1: one match — the create is not done, the existing resource is the answer.
                resolved[fullUrl] = existing;
                response.Entry.Add(new Bundle.EntryComponent { Response = new Bundle.ResponseComponent { Status = "200 OK", Location = existing + "/_history/1" } });
                continue;
            }

            var id = type + "/" + (++_next).ToString(System.Globalization.CultureInfo.InvariantCulture);
            entry.Resource!.Id = id.Split('/')[1];
            _stored[id] = entry.Resource;
            foreach (var identifier in Identifiers(entry.Resource))
            {
                _byIdentifier[type + "?" + identifier.System + "|" + identifier.Value] = id;
            }

            resolved[fullUrl] = id;
            created.Add(entry.Resource);
            response.Entry.Add(new Bundle.EntryComponent { Response = new Bundle.ResponseComponent { Status = "201 Created", Location = id + "/_history/1" } });
        }

        // urn:uuid: references inside the transaction point at what was created or found.
        foreach (var resource in created)
        {
            IEnumerable<ResourceReference> references = resource switch
            {
                DiagnosticReport report => report.Result,
                FhirTask { Focus: { } focus } => [focus],
                _ => [],
            };
            foreach (var reference in references)
            {
                if (reference?.Reference is { } target && resolved.TryGetValue(target, out var stored))
                {
                    reference.Reference = stored;
                }
            }
        }

        return response;
    }

    private static List<Identifier> Identifiers(Resource resource) => resource switch
    {
        DiagnosticReport r => r.Identifier,
        Observation o => o.Identifier,
        FhirTask t => t.Identifier,
        _ => [],
    };

    private bool Authorized(string header)
    {
        lock (_gate)
        {
            return header.StartsWith("Bearer ", StringComparison.Ordinal) && _tokens.Contains(header["Bearer ".Length..]);
        }
    }

    private async Task TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var basic = context.Request.Headers.Authorization.ToString();
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(OAuth!.ClientId) + ":" + Uri.EscapeDataString(OAuth.ClientSecret)));
        context.Response.ContentType = "application/json";
        if (form["grant_type"] != "client_credentials" || basic != expected)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync("{\"error\":\"invalid_client\",\"error_description\":\"unknown client or wrong secret\"}");
            return;
        }

        string token;
        lock (_gate)
        {
            TokensIssued++;
            token = "token-" + Guid.NewGuid().ToString("N");
            _tokens.Add(token);
        }

        await context.Response.WriteAsync($"{{\"access_token\":\"{token}\",\"token_type\":\"Bearer\",\"expires_in\":{OAuth.ExpiresInSeconds},\"scope\":\"{form["scope"]}\"}}");
    }

    private async Task AnswerAsync(HttpContext context, int status, string? bundleId, Resource body)
    {
        Requests.Enqueue(new Answered(status, bundleId));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/fhir+json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJson());
    }

    private static OperationOutcome Outcome(OperationOutcome.IssueType code, string text) => new()
    {
        Issue = [new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Error, Code = code, Details = new CodeableConcept { Text = text } }],
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
