using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using MiniGptMed.DicomNode.Administration;
using MiniGptMed.DicomNode.Http.Security;

namespace MiniGptMed.DicomNode.Http.Api;

/// <summary>
/// <c>/api/aes</c>, <c>/api/sources</c>, <c>/api/destinations</c>, <c>/api/rules</c>: the node's configuration through
/// <see cref="IAdministration"/>, the service the CLI uses, so the checks, their messages and the audit row are the
/// same from every surface. Reading needs a viewer; add, update and remove an admin, whose name goes in the audit.
/// </summary>
internal static class ConfigApi
{
    public static RouteGroupBuilder MapConfigApi(this RouteGroupBuilder api)
    {
        var json = AdministrationJsonContext.Default;
        Map(api, "/aes", "Listening AEs", a => a.Aes, json.ListeningAe, json.IReadOnlyListListeningAe);
        Map(api, "/sources", "Sources", a => a.Sources, json.Source, json.IReadOnlyListSource);
        Map(api, "/destinations", "Destinations", a => a.Destinations, json.Destination, json.IReadOnlyListDestination);
        Map(api, "/rules", "Rules", a => a.Rules, json.AnalysisRule, json.IReadOnlyListAnalysisRule);
        api.MapPost("/destinations/{name}/echo", EchoAsync).WithTags("Destinations").RequireAuthorization(Roles.AdminPolicy)
            .WithSummary("C-ECHO the destination with the AE titles and TLS export uses.");
        api.MapGet("/audit", AuditAsync).WithTags("Audit").WithSummary("Configuration changes, newest first: when, who, what, before and after.");
        return api;
    }

    /// <summary>Who the audit names for a change made over HTTP: the authenticated user (or <c>local</c> on loopback).</summary>
    public static string Actor(HttpContext context) => $"http:{context.User.Identity?.Name ?? "unknown"}";

    // The handlers' own signatures name no T (the Request Delegate Generator compiles each call site; it cannot compile
    // a generic one): the item type is in the closures and in .Produces/.Accepts for the OpenAPI document.
    private static void Map<T>(RouteGroupBuilder api, string path, string tag, Func<IAdministration, IConfigSet<T>> set, JsonTypeInfo<T> json,
        JsonTypeInfo<IReadOnlyList<T>> listJson) where T : class
    {
        var group = api.MapGroup(path).WithTags(tag);
        group.MapGet("/", async Task<IResult> (IAdministration administration, CancellationToken ct) =>
            TypedResults.Json(await set(administration).ListAsync(ct).ConfigureAwait(false), listJson)).Produces<IReadOnlyList<T>>();
        group.MapGet("/{name}", async Task<IResult> (string name, IAdministration administration, CancellationToken ct) =>
                await set(administration).GetAsync(name, ct).ConfigureAwait(false) is { } item
                    ? TypedResults.Json(item, json)
                    : Problems.NotFound($"{Noun(set(administration).Kind)} '{name}' not found."))
            .Produces<T>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", async Task<IResult> (HttpContext context, IAdministration administration, CancellationToken ct) =>
                await ReadAsync(context, json, ct).ConfigureAwait(false) is { } item
                    ? Outcome(await set(administration).AddAsync(item, Actor(context), ct).ConfigureAwait(false), set(administration).Kind, json, created: true)
                    : Problems.BadRequest("body", $"is not a JSON {Noun(set(administration).Kind)}."))
            .RequireAuthorization(Roles.AdminPolicy).Accepts<T>("application/json").Produces<T>(StatusCodes.Status201Created).ProducesValidationProblem();
        group.MapPut("/{name}", async Task<IResult> (string name, HttpContext context, IAdministration administration, CancellationToken ct) =>
                await ReadAsync(context, json, ct).ConfigureAwait(false) is { } item
                    ? Outcome(await set(administration).UpdateAsync(name, item, Actor(context), ct).ConfigureAwait(false), set(administration).Kind, json, created: false)
                    : Problems.BadRequest("body", $"is not a JSON {Noun(set(administration).Kind)}."))
            .RequireAuthorization(Roles.AdminPolicy).Accepts<T>("application/json").Produces<T>().ProducesValidationProblem();
        group.MapDelete("/{name}", async Task<IResult> (string name, bool? force, HttpContext context, IAdministration administration, CancellationToken ct) =>
                Outcome(await set(administration).RemoveAsync(name, Actor(context), force ?? false, ct).ConfigureAwait(false), set(administration).Kind, json, created: false))
            .RequireAuthorization(Roles.AdminPolicy).Produces<T>().ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>The body as <typeparamref name="T"/>; null when it is not JSON of that shape (bounded by Kestrel's body limit).</summary>
    private static async Task<T?> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> json, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await System.Text.Json.JsonSerializer.DeserializeAsync(context.Request.Body, json, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Done: the stored item (201 for an add). Invalid: 400 with every field's message. Not found: 404. In use: 409.</summary>
    public static IResult Outcome<T>(ChangeOutcome<T> outcome, ConfigKind kind, JsonTypeInfo<T> json, bool created) where T : class => outcome.Status switch
    {
        ChangeStatus.Done => TypedResults.Json(outcome.Value, json, statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK),
        ChangeStatus.NotFound => Problems.NotFound(outcome.Errors.Count > 0 ? outcome.Errors[0].Message : $"{Noun(kind)} not found."),
        ChangeStatus.InUse => TypedResults.Problem(detail: $"{Noun(kind)} is in use: {string.Join("; ", outcome.Errors.Select(e => e.Message))} (?force=true removes it anyway).",
            statusCode: StatusCodes.Status409Conflict, title: "In use"),
        _ => Invalid(outcome.Errors),
    };

    public static ProblemHttpResult Invalid(IReadOnlyList<FieldError> errors) =>
        TypedResults.Problem(detail: string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")) + " Nothing was changed.",
            statusCode: StatusCodes.Status400BadRequest, title: "Invalid configuration",
            extensions: new Dictionary<string, object?> { ["errors"] = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()) });

    public static string Noun(ConfigKind kind) => kind switch
    {
        ConfigKind.Ae => "listening AE",
        ConfigKind.Source => "source",
        ConfigKind.Destination => "destination",
        _ => "rule",
    };

    private static async Task<IResult> EchoAsync(string name, IAdministration administration, DestinationEchoer echoer, CancellationToken cancellationToken)
    {
        if (await administration.Destinations.GetAsync(name, cancellationToken).ConfigureAwait(false) is not { } destination)
        {
            return Problems.NotFound($"destination '{name}' not found.");
        }

        var result = await echoer.EchoAsync(destination, cancellationToken).ConfigureAwait(false);
        return result.Succeeded
            ? TypedResults.Json(result, HttpJsonContext.Default.EchoResult)
            : TypedResults.Problem(detail: result.Message, statusCode: StatusCodes.Status502BadGateway, title: "C-ECHO failed");
    }

    private static async Task<IResult> AuditAsync(IAdministration administration, string? kind, string? name, int? limit, CancellationToken cancellationToken)
    {
        ConfigKind? parsed = null;
        if (kind is not null)
        {
            try
            {
                parsed = ConfigKinds.Parse(kind);
            }
            catch (FormatException)
            {
                return Problems.BadRequest("kind", $"'{kind}' is not ae, source, destination or rule.");
            }
        }

        if (limit is < 1 or > 10_000)
        {
            return Problems.BadRequest("limit", $"{limit} is not 1..10000.");
        }

        return TypedResults.Json(await administration.ChangesAsync(limit ?? 200, parsed, name, cancellationToken).ConfigureAwait(false),
            AdministrationJsonContext.Default.IReadOnlyListConfigChange);
    }
}
