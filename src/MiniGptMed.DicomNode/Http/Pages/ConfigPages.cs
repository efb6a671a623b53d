using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using MiniGptMed.DicomNode.Administration;
using MiniGptMed.DicomNode.Http.Api;
using MiniGptMed.DicomNode.Http.Security;
using static MiniGptMed.DicomNode.Http.Pages.Html;

namespace MiniGptMed.DicomNode.Http.Pages;

/// <summary>
/// The configuration pages: a list per kind with Edit and Remove, a form to add or edit (the service's messages shown
/// beside the inputs they name, what was typed kept), a C-ECHO button per DICOM destination, and the audit log. Every
/// change goes through <see cref="IAdministration"/>, as the CLI's and the API's do.
/// </summary>
internal static class ConfigPages
{
    public static IEndpointRouteBuilder MapConfigPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").WithTags("Console").ExcludeFromDescription();
        Map(pages, ConfigForms.Aes);
        Map(pages, ConfigForms.Sources);
        Map(pages, ConfigForms.Destinations);
        Map(pages, ConfigForms.Rules);
        pages.MapPost("/destinations/{name}/echo", async Task<IResult> (string name, IAdministration administration, DestinationEchoer echoer, CancellationToken ct) =>
        {
            if (await administration.Destinations.GetAsync(name, ct).ConfigureAwait(false) is not { } destination)
            {
                return Back("/destinations", null, $"Destination '{name}' not found.");
            }

            var result = await echoer.EchoAsync(destination, ct).ConfigureAwait(false);
            return Back("/destinations", result.Succeeded ? result.Message : null, result.Succeeded ? null : result.Message);
        }).RequireAuthorization(Roles.AdminPolicy).RequireFormToken();
        pages.MapGet("/audit", AuditAsync);
        return app;
    }

    private static void Map<T>(RouteGroupBuilder pages, ConfigForm<T> form) where T : class, new()
    {
        pages.MapGet(form.Path, async Task<IResult> (HttpContext context, IAdministration administration, IAntiforgery antiforgery, string? message, string? error, CancellationToken ct) =>
            await ListAsync(form, context, administration, antiforgery, message, error, ct).ConfigureAwait(false));
        pages.MapGet(form.Path + "/new", (HttpContext context, IAntiforgery antiforgery) =>
            Edit(form, context, antiforgery, null, form.Values(new T()), [], 200)).RequireAuthorization(Roles.AdminPolicy);
        pages.MapPost(form.Path + "/new", async Task<IResult> (HttpContext context, IAdministration administration, IAntiforgery antiforgery, CancellationToken ct) =>
                await SaveAsync(form, context, administration, antiforgery, null, ct).ConfigureAwait(false))
            .RequireAuthorization(Roles.AdminPolicy).RequireFormToken();
        pages.MapGet(form.Path + "/{name}/edit", async Task<IResult> (string name, HttpContext context, IAdministration administration, IAntiforgery antiforgery, CancellationToken ct) =>
                await form.Set(administration).GetAsync(name, ct).ConfigureAwait(false) is { } item
                    ? Edit(form, context, antiforgery, name, form.Values(item), [], 200)
                    : Back(form.Path, null, $"{Capital(form.Noun)} '{name}' not found."))
            .RequireAuthorization(Roles.AdminPolicy);
        pages.MapPost(form.Path + "/{name}/edit", async Task<IResult> (string name, HttpContext context, IAdministration administration, IAntiforgery antiforgery, CancellationToken ct) =>
                await SaveAsync(form, context, administration, antiforgery, name, ct).ConfigureAwait(false))
            .RequireAuthorization(Roles.AdminPolicy).RequireFormToken();
        pages.MapPost(form.Path + "/{name}/remove", async Task<IResult> (string name, HttpContext context, IAdministration administration, CancellationToken ct) =>
            {
                var posted = await context.Request.ReadFormAsync(ct).ConfigureAwait(false);
                var outcome = await form.Set(administration).RemoveAsync(name, ConfigApi.Actor(context), posted["force"] == "on", ct).ConfigureAwait(false);
                return outcome.Status switch
                {
                    ChangeStatus.Done => Back(form.Path, $"{Capital(form.Noun)} '{name}' removed.", null),
                    ChangeStatus.InUse => Back(form.Path, null, $"{Capital(form.Noun)} '{name}' is in use: {string.Join("; ", outcome.Errors.Select(e => e.Message))} Nothing was changed."),
                    _ => Back(form.Path, null, string.Join(" ", outcome.Errors.Select(e => e.Message))),
                };
            })
            .RequireAuthorization(Roles.AdminPolicy).RequireFormToken();
    }

    private static async Task<IResult> ListAsync<T>(ConfigForm<T> form, HttpContext context, IAdministration administration, IAntiforgery antiforgery,
        string? message, string? error, CancellationToken cancellationToken) where T : class
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var admin = context.User.IsInRole(Roles.Admin);
        var items = await form.Set(administration).ListAsync(cancellationToken).ConfigureAwait(false);
        var body = new StringBuilder(Layout.Notice(message)).Append(Layout.Notice(error, error: true));
        if (admin)
        {
            body.Append("<p><a class=\"button\" href=\"").Append(form.Path).Append("/new\">Add ").Append(E(form.Noun)).Append("</a></p>");
        }

        body.Append(Table([.. form.Columns, ""], items.Select(item =>
        {
            var name = form.NameOf(item);
            var cells = form.Row(item).Select(c => E(c)).ToList();
            var actions = new StringBuilder();
            if (admin)
            {
                var path = $"{form.Path}/{Uri.EscapeDataString(name)}";
                actions.Append("<a href=\"").Append(E(path)).Append("/edit\">Edit ").Append(E(name)).Append("</a> ");
                if (item is Destination { Type: Export.DestinationType.Dicom })
                {
                    actions.Append(Button($"{path}/echo", $"C-ECHO {name}", tokens, "secondary")).Append(' ');
                }

                actions.Append(Button($"{path}/remove", $"Remove {name}", tokens, "danger"));
            }

            cells.Add(actions.ToString());
            return cells;
        }), $"No {form.Noun} yet."));
        return Layout.Page(form.Title, form.Path, context.User, tokens, body.ToString());
    }

    private static async Task<IResult> SaveAsync<T>(ConfigForm<T> form, HttpContext context, IAdministration administration, IAntiforgery antiforgery,
        string? name, CancellationToken cancellationToken) where T : class
    {
        var posted = await context.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var reader = new FormReader(posted);
        var item = form.Read(reader);
        var typed = form.Fields.ToDictionary(f => f.Field, f => reader.Text(f.Field));
        if (reader.Errors.Count > 0)
        {
            return Edit(form, context, antiforgery, name, typed, reader.Errors, StatusCodes.Status400BadRequest);
        }

        var set = form.Set(administration);
        var outcome = name is null
            ? await set.AddAsync(item, ConfigApi.Actor(context), cancellationToken).ConfigureAwait(false)
            : await set.UpdateAsync(name, item, ConfigApi.Actor(context), cancellationToken).ConfigureAwait(false);
        return outcome.Status == ChangeStatus.Done
            ? Back(form.Path, $"{Capital(form.Noun)} '{form.NameOf(outcome.Value!)}' {(name is null ? "added" : "updated")}.", null)
            : Edit(form, context, antiforgery, name, typed, outcome.Errors, outcome.Status == ChangeStatus.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
    }

    /// <summary>The add or edit form, with each error beside its input (and the ones no input owns above the form).</summary>
    private static IResult Edit<T>(ConfigForm<T> form, HttpContext context, IAntiforgery antiforgery, string? name, IReadOnlyDictionary<string, string> values,
        IReadOnlyList<FieldError> errors, int status) where T : class
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var action = name is null ? $"{form.Path}/new" : $"{form.Path}/{Uri.EscapeDataString(name)}/edit";
        var body = new StringBuilder();
        static string Owner(string field) => field.IndexOf('[', StringComparison.Ordinal) is var i and > 0 ? field[..i] : field;
        var unowned = errors.Where(e => form.Fields.All(f => f.Field != Owner(e.Field))).ToList();
        if (errors.Count > 0)
        {
            body.Append(Layout.Notice($"Nothing was changed: {string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}"))}", error: true));
        }

        body.Append("<form method=\"post\" class=\"edit\" action=\"").Append(E(action)).Append("\" novalidate>").Append(Antiforgery(tokens));
        foreach (var field in form.Fields)
        {
            var id = "f-" + field.Field;
            var value = values.TryGetValue(field.Field, out var v) ? v : "";
            var own = errors.Where(e => Owner(e.Field) == field.Field).ToList();
            var invalid = own.Count > 0 ? $" aria-invalid=\"true\" aria-describedby=\"{id}-error\"" : field.Help is null ? "" : $" aria-describedby=\"{id}-help\"";
            body.Append("<label for=\"").Append(id).Append("\">").Append(E(field.Label)).Append("</label><div>");
            switch (field.Kind)
            {
                case InputKind.Checkbox:
                    body.Append("<input type=\"checkbox\" id=\"").Append(id).Append("\" name=\"").Append(field.Field).Append('"')
                        .Append(value == "on" ? " checked" : "").Append(invalid).Append('>');
                    break;
                case InputKind.Choice:
                    body.Append("<select id=\"").Append(id).Append("\" name=\"").Append(field.Field).Append('"').Append(invalid).Append('>');
                    foreach (var choice in field.Choices ?? [])
                    {
                        body.Append("<option").Append(choice == value ? " selected" : "").Append('>').Append(E(choice)).Append("</option>");
                    }

                    body.Append("</select>");
                    break;
                default:
                    var type = field.Kind == InputKind.Number ? "text\" inputmode=\"numeric" : "text";
                    body.Append("<input type=\"").Append(type).Append("\" id=\"").Append(id).Append("\" name=\"").Append(field.Field).Append("\" value=\"")
                        .Append(E(value)).Append('"').Append(invalid).Append('>');
                    break;
            }

            if (own.Count > 0)
            {
                body.Append("<p class=\"field-error\" id=\"").Append(id).Append("-error\">").Append(E(string.Join(" ", own.Select(e => e.Message)))).Append("</p>");
            }
            else if (field.Help is not null)
            {
                body.Append("<p class=\"hint\" id=\"").Append(id).Append("-help\">").Append(E(field.Help)).Append("</p>");
            }

            body.Append("</div>");
        }

        body.Append("<button type=\"submit\">").Append(name is null ? $"Add {E(form.Noun)}" : "Save").Append("</button></form>");
        if (unowned.Count > 0)
        {
            body.Append(Layout.Notice(string.Join(" ", unowned.Select(e => $"{e.Field}: {e.Message}")), error: true));
        }

        var title = name is null ? $"Add {form.Noun}" : $"Edit {form.Noun} {name}";
        return Layout.Page(title, form.Path, context.User, tokens, body.ToString(), status);
    }

    private static async Task<IResult> AuditAsync(HttpContext context, IAdministration administration, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var changes = await administration.ChangesAsync(200, cancellationToken: cancellationToken).ConfigureAwait(false);
        var body = Table(["When", "Who", "What", "Name", "Action", "Before", "After"], changes.Select(c => new[]
        {
            Time(c.At), E(c.Actor), E(c.Kind.Text()), E(c.Name), E(c.Action), Json(c.Before), Json(c.After),
        }), "No configuration change yet.");
        return Layout.Page("Audit log", "/audit", context.User, antiforgery.GetAndStoreTokens(context),
            "<p class=\"hint\">Every change to AE titles, sources, destinations and rules, from the console, the API and the command line.</p>" + body);
    }

    private static string Json(string? json) => json is null ? "" : $"<code>{E(json)}</code>";

    private static Microsoft.AspNetCore.Http.HttpResults.RedirectHttpResult Back(string path, string? message, string? error) =>
        TypedResults.Redirect(message is not null ? $"{path}?message={Uri.EscapeDataString(message)}" : $"{path}?error={Uri.EscapeDataString(error ?? "")}");

    private static string Capital(string noun) => noun.Length == 0 ? noun : char.ToUpperInvariant(noun[0]) + noun[1..];
}
