using Microsoft.AspNetCore.Antiforgery;
using static MiniGptMed.DicomNode.Http.Pages.Html;

namespace MiniGptMed.DicomNode.Http.Pages;

/// <summary>The login form: the body of every page's 401, and of <c>GET /login</c>.</summary>
internal static class LoginPage
{
    public static string Render(AntiforgeryTokenSet tokens, string? returnUrl, string? error) =>
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        "<title>Log in - MiniGPT-Med node</title><link rel=\"stylesheet\" href=\"/assets/console.css\"></head><body class=\"login\"><main>" +
        "<h1>MiniGPT-Med node</h1>" + Layout.Notice(error, error: true) +
        "<form method=\"post\" action=\"/login\">" + Antiforgery(tokens) +
        $"<input type=\"hidden\" name=\"returnUrl\" value=\"{E(returnUrl)}\">" +
        "<label for=\"user\">User name</label><input id=\"user\" name=\"user\" autocomplete=\"username\" required autofocus>" +
        "<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>" +
        "<button type=\"submit\">Log in</button></form>" +
        "<p class=\"hint\">Users are created on the node: <code>minigptmed user add NAME --role admin|viewer</code>.</p></main></body></html>";

    /// <summary>Only a path of this site may be returned to (no open redirect: RFC 9700 4.11).</summary>
    public static string SafeReturn(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            && !url.StartsWith("/login", StringComparison.Ordinal)
            ? url
            : "/";
}
