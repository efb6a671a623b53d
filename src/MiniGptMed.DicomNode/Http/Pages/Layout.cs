using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using MiniGptMed.DicomNode.Http.Security;
using static MiniGptMed.DicomNode.Http.Pages.Html;

namespace MiniGptMed.DicomNode.Http.Pages;

/// <summary>The frame of every console page: title, navigation, who is logged in, a log-out button.</summary>
internal static class Layout
{
    private static readonly (string Path, string Label)[] Navigation =
    [
        ("/", "Dashboard"), ("/worklist", "Worklist"), ("/jobs", "Jobs"), ("/aes", "AE titles"), ("/sources", "Sources"), ("/destinations", "Destinations"),
        ("/rules", "Rules"), ("/audit", "Audit log"),
    ];

    public static IResult Page(string title, string currentPath, ClaimsPrincipal user, AntiforgeryTokenSet tokens, string body, int status = 200)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append(" - MiniGPT-Med node</title><link rel=\"stylesheet\" href=\"/assets/console.css\"></head><body>")
            .Append("<header><span class=\"brand\">MiniGPT-Med node</span><nav aria-label=\"Main\">");
        foreach (var (path, label) in Navigation)
        {
            var current = path == "/" ? currentPath == "/" : currentPath.StartsWith(path, StringComparison.Ordinal);
            html.Append("<a href=\"").Append(path).Append('"').Append(current ? " aria-current=\"page\"" : "").Append('>').Append(E(label)).Append("</a>");
        }

        var name = user.Identity?.Name ?? "";
        var role = user.IsInRole(Roles.Admin) ? Roles.Admin : Roles.Viewer;
        html.Append("</nav><span class=\"user\">").Append(E(name)).Append(" (").Append(role).Append(")</span>");
        if (name != LoopbackAuthenticationHandler.UserName)
        {
            html.Append(Button("/logout", "Log out", tokens));
        }

        html.Append("</header><main><h1>").Append(E(title)).Append("</h1>").Append(body).Append("</main></body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>A message above a page's content (what a change did, or why not).</summary>
    public static string Notice(string? message, bool error = false) =>
        string.IsNullOrEmpty(message) ? "" : $"<p class=\"{(error ? "error" : "notice")}\" role=\"{(error ? "alert" : "status")}\">{E(message)}</p>";
}
