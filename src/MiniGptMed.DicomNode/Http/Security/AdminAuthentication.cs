using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Http.Pages;

namespace MiniGptMed.DicomNode.Http.Security;

/// <summary>
/// Who may call: console sessions in a cookie (with antiforgery tokens on every form), bearer API keys for scripts,
/// or nobody asked at all while the surface is bound to loopback. Everything needs a viewer at least (the fallback
/// policy), changes need an admin; only health probes, the login page and the console's assets are anonymous.
/// </summary>
internal static class AdminAuthentication
{
    public const string NodeScheme = "node";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string ApiKeyScheme = "apikey";
    public const string LoopbackScheme = "loopback";
    public const string CookieName = "minigptmed.session";
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    public static IServiceCollection AddAdminSecurity(this IServiceCollection services)
    {
        // Keys that sign the session cookie and the antiforgery tokens, kept in the data folder so that sessions survive
        // a restart (systemd: StateDirectory). A cluster behind one name needs one key ring: docs/http.md.
        services.AddDataProtection().SetApplicationName("minigptmed");
        services.AddOptions<KeyManagementOptions>().Configure<IOptionsMonitor<StorageOptions>>((o, storage) =>
            o.XmlRepository = new Microsoft.AspNetCore.DataProtection.Repositories.FileSystemXmlRepository(
                new DirectoryInfo(Path.Combine(Path.GetFullPath(storage.CurrentValue.DataDirectory), "keys")), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));

        services.AddAuthentication(NodeScheme)
            .AddPolicyScheme(NodeScheme, null, o => o.ForwardDefaultSelector = SelectScheme)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                // Strict: a page of another site cannot make the browser send the session (defence beside antiforgery).
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.Events.OnRedirectToLogin = Unauthorized;
                o.Events.OnRedirectToAccessDenied = Forbidden;
                o.Events.OnValidatePrincipal = StillAUserAsync;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, null)
            .AddScheme<AuthenticationSchemeOptions, LoopbackAuthenticationHandler>(LoopbackScheme, null);
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IOptions<AdminOptions>>((o, admin) =>
            o.ExpireTimeSpan = TimeSpan.FromMinutes(admin.Value.SessionMinutes));

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(Roles.Viewer, Roles.Admin).Build())
            .AddPolicy(Roles.AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));

        services.AddAntiforgery(o =>
        {
            o.HeaderName = AntiforgeryHeader;
            o.Cookie.Name = "minigptmed.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        return services;
    }

    private static string SelectScheme(HttpContext context)
    {
        if (!context.RequestServices.GetRequiredService<IOptionsMonitor<AdminOptions>>().CurrentValue.AuthenticationRequired)
        {
            return LoopbackScheme;
        }

        return context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? ApiKeyScheme : CookieScheme;
    }

    /// <summary>Whether the request is for the API (problem details) rather than a console page (HTML).</summary>
    public static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/openapi") || request.Path.StartsWithSegments("/metrics");

    // No redirect: a 401 is what every route answers without credentials; a page's 401 carries the login form.
    private static async Task Unauthorized(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        if (!IsApi(context.Request) && HttpMethods.IsGet(context.Request.Method))
        {
            var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
            var tokens = antiforgery.GetAndStoreTokens(context.HttpContext);
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(LoginPage.Render(tokens, context.Request.Path + context.Request.QueryString, null)).ConfigureAwait(false);
        }
    }

    private static Task Forbidden(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    /// <summary>A session ends when its user is removed or its role changes.</summary>
    private static async Task StillAUserAsync(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var database = context.HttpContext.RequestServices.GetRequiredService<Database.NodeDatabase>();
        var user = name is null ? null : await database.Users.FindAsync(name, context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (user is null || !context.Principal!.IsInRole(user.Role))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme).ConfigureAwait(false);
        }
    }
}
