using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace MiniGptMed.DicomNode.Http.Pages;

/// <summary>
/// Building blocks of the console's server-rendered HTML. Every value from outside (AE titles, names, errors) goes
/// through <see cref="E"/>; markup is only ever the literals written here.
/// </summary>
internal static class Html
{
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public static string E(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? time) => time is { } t ? E(t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)) : "";

    /// <summary>The hidden antiforgery field every form carries (validated by UseAntiforgery on the POST).</summary>
    public static string Antiforgery(AntiforgeryTokenSet tokens) =>
        $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";

    /// <summary>A one-button form that posts to <paramref name="action"/> (retry, cancel, echo, remove).</summary>
    public static string Button(string action, string label, AntiforgeryTokenSet tokens, string? cssClass = null) =>
        $"<form method=\"post\" action=\"{E(action)}\" class=\"inline\">{Antiforgery(tokens)}<button type=\"submit\"{(cssClass is null ? "" : $" class=\"{cssClass}\"")}>{E(label)}</button></form>";

    public static string Table(IEnumerable<string> headers, IEnumerable<IEnumerable<string>> rows, string empty)
    {
        var html = new StringBuilder("<table><thead><tr>");
        foreach (var header in headers)
        {
            html.Append("<th scope=\"col\">").Append(E(header)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        var any = false;
        foreach (var row in rows)
        {
            any = true;
            html.Append("<tr>");
            foreach (var cell in row)
            {
                // Cells are already HTML (encoded by the caller).
                html.Append("<td>").Append(cell).Append("</td>");
            }

            html.Append("</tr>");
        }

        if (!any)
        {
            html.Append("<tr><td colspan=\"99\" class=\"empty\">").Append(E(empty)).Append("</td></tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }
}
