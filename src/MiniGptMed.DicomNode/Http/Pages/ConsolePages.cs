using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using MiniGptMed.Dicom.Data;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Http.Api;
using MiniGptMed.DicomNode.Http.Security;

namespace MiniGptMed.DicomNode.Http.Pages;

/// <summary>
/// The web console's routes: pages are GETs rendered on the server; changes are form POSTs carrying an antiforgery
/// token, answered with a redirect to the page (post/redirect/get), so a reload never repeats a change.
/// </summary>
internal static class ConsolePages
{
    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").WithTags("Console").ExcludeFromDescription();
        pages.MapGet("/", DashboardPage.RenderAsync);
        pages.MapGet("/jobs", (HttpContext context, NodeDatabase database, IAntiforgery antiforgery, string? state, string? message, string? error, CancellationToken ct) =>
            JobsPage.RenderAsync(context, database, antiforgery, state, message, error, ct));
        pages.MapPost("/jobs/{id:long}/retry", (long id, HttpContext context, NodeDatabase database, ILogger<NodeDatabase> logger, CancellationToken ct) =>
                JobActionAsync(id, "retried", database.Jobs.RetryAsync, JobsApi.RetryRule, context, database, logger, ct))
            .RequireAuthorization(Roles.AdminPolicy).RequireFormToken();
        pages.MapPost("/jobs/{id:long}/cancel", (long id, HttpContext context, NodeDatabase database, ILogger<NodeDatabase> logger, CancellationToken ct) =>
                JobActionAsync(id, "cancelled", database.Jobs.CancelAsync, JobsApi.CancelRule, context, database, logger, ct))
            .RequireAuthorization(Roles.AdminPolicy).RequireFormToken();
        pages.MapGet("/worklist", (HttpContext context, NodeDatabase database, IOptionsMonitor<StorageOptions> storage, IAntiforgery antiforgery,
                string? ae, string? modality, string? priority, string? state, CancellationToken ct) =>
            WorklistPage.RenderAsync(context, database, storage.CurrentValue.DataDirectory, antiforgery, ae, modality, priority, state, ct));
        pages.MapGet("/studies/{uid}/results/{name}", (string uid, string name, IOptionsMonitor<StorageOptions> storage) =>
            WorklistPage.Download(uid, name, storage.CurrentValue.DataDirectory));
        pages.MapGet("/studies/{uid}/thumbnail.png", (string uid, IOptionsMonitor<StorageOptions> storage) =>
            DicomUid.IsValid(uid) && StudyResults.Thumbnail(storage.CurrentValue.DataDirectory, uid) is { } png
                ? Microsoft.AspNetCore.Http.Results.Bytes(png, "image/png")
                : Microsoft.AspNetCore.Http.Results.NotFound());

        var account = app.MapGroup("").WithTags("Console").ExcludeFromDescription().AllowAnonymous();
        account.MapGet("/login", (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
            TypedResults.Content(LoginPage.Render(antiforgery.GetAndStoreTokens(context), returnUrl, null), "text/html; charset=utf-8"));
        account.MapPost("/login", LoginAsync);
        account.MapGet("/assets/{name}", Asset);
        pages.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(AdminAuthentication.CookieScheme).ConfigureAwait(false);
            return TypedResults.Redirect("/login");
        }).RequireFormToken();
        return app;
    }

    private static async Task<IResult> JobActionAsync(long id, string action, Func<long, CancellationToken, Task<bool>> change, string rule,
        HttpContext context, NodeDatabase database, ILogger logger, CancellationToken cancellationToken)
    {
        var outcome = await JobsApi.ActAsync(id, database, action, (_, ct) => change(id, ct), rule, context, logger, cancellationToken).ConfigureAwait(false);
        var query = outcome.Result is Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem
            ? $"error={Uri.EscapeDataString(problem.ProblemDetails.Detail ?? "refused")}"
            : $"message={Uri.EscapeDataString($"Job {id} {action}.")}";
        return TypedResults.Redirect($"/jobs?{query}");
    }

    private static async Task<IResult> LoginAsync(HttpContext context, [FromForm] string user, [FromForm] string password, [FromForm] string? returnUrl,
        NodeDatabase database, IAntiforgery antiforgery, ILogger<NodeDatabase> logger)
    {
        var address = context.Connection.RemoteIpAddress?.ToString();
        var found = UserNames.Check(user) is null ? await database.Users.FindWithHashAsync(user, context.RequestAborted).ConfigureAwait(false) : null;
        // The decoy hash makes an unknown name take as long as a wrong password: timing does not tell which names exist.
        var valid = PasswordHashing.Verify(password, found?.PasswordHash ?? PasswordHashing.Decoy) && found is not null;
        if (!valid)
        {
            HttpLog.LoginFailed(logger, user.Length > UserNames.MaxLength ? user[..UserNames.MaxLength] : user, address);
            return TypedResults.Content(LoginPage.Render(antiforgery.GetAndStoreTokens(context), returnUrl, "Wrong user name or password."),
                "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
        }

        await context.SignInAsync(AdminAuthentication.CookieScheme, NodePrincipal.For(found!.Value.User.Name, found.Value.User.Role, AdminAuthentication.CookieScheme))
            .ConfigureAwait(false);
        HttpLog.LoggedIn(logger, found.Value.User.Name, address);
        return TypedResults.Redirect(LoginPage.SafeReturn(returnUrl));
    }

    private static IResult Asset(string name)
    {
        var type = Path.GetExtension(name) switch
        {
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            _ => null,
        };
        var stream = type is null ? null : typeof(ConsolePages).Assembly.GetManifestResourceStream($"console/{name}");
        return stream is null ? Microsoft.AspNetCore.Http.Results.NotFound() : TypedResults.Stream(stream, type);
    }
}
