using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using MiniGptMed.DicomNode.Cli.Admin;
using MiniGptMed.DicomNode.Configuration;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Jobs;
using MiniGptMed.DicomNode.Reception;
using static MiniGptMed.DicomNode.Http.Pages.Html;

namespace MiniGptMed.DicomNode.Http.Pages;

/// <summary>
/// <c>GET /</c>: the listener, the associations open now, the queue by state, and the recent studies with their
/// findings summary and a thumbnail of their Secondary Capture.
/// </summary>
internal static class DashboardPage
{
    public static async Task<IResult> RenderAsync(HttpContext context, NodeDatabase database, ReceptionService reception, AccessRulesProvider rules,
        AssociationRegistry associations, IOptionsMonitor<StorageOptions> storage, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var body = new StringBuilder();
        body.Append("<section aria-labelledby=\"listener\"><h2 id=\"listener\">Listener</h2><dl class=\"facts\">");
        try
        {
            body.Append("<dt>DICOM port</dt><dd>").Append(E(reception.LocalEndPoint.Port)).Append("</dd>");
            if (reception.TlsEndPoint is { } tls)
            {
                body.Append("<dt>DICOM TLS port</dt><dd>").Append(E(tls.Port)).Append("</dd>");
            }
        }
        catch (InvalidOperationException)
        {
            body.Append("<dt>DICOM port</dt><dd class=\"error\">not listening</dd>");
        }

        var current = rules.Current();
        body.Append("<dt>AE titles</dt><dd>").Append(E(string.Join(", ", current.ListeningAes.Select(a => a.AeTitle)))).Append("</dd>")
            .Append("<dt>Known sources</dt><dd>").Append(E(current.Sources.Count)).Append("</dd>");
        var data = Path.GetFullPath(storage.CurrentValue.DataDirectory);
        body.Append("<dt>Data folder</dt><dd>").Append(E(data)).Append("</dd>");
        try
        {
            body.Append("<dt>Free disk</dt><dd>").Append(E(new DriveInfo(data).AvailableFreeSpace / (1024 * 1024))).Append(" MB</dd>");
        }
        catch (IOException)
        {
        }

        body.Append("</dl></section>");

        var open = associations.Current;
        body.Append("<section aria-labelledby=\"associations\"><h2 id=\"associations\">Associations now (").Append(E(open.Count)).Append(")</h2>")
            .Append(Table(["Calling AE", "Called AE", "Peer", "TLS", "Since"],
                open.Select(a => new[] { E(a.CallingAeTitle), E(a.CalledAeTitle), E($"{a.PeerAddress}:{a.PeerPort}"), a.Tls ? "yes" : "no", Time(a.Since) }),
                "No association is open."))
            .Append("</section>");

        var counts = await database.Jobs.CountByStateAsync(cancellationToken).ConfigureAwait(false);
        body.Append("<section aria-labelledby=\"queue\"><h2 id=\"queue\">Queue</h2><ul class=\"counts\">");
        foreach (var state in Enum.GetValues<JobState>())
        {
            var n = counts.TryGetValue(state, out var c) ? c : 0;
            body.Append("<li><a href=\"/jobs?state=").Append(state.ToText()).Append("\">").Append(E(state.ToText())).Append(" <strong>")
                .Append(E(n)).Append("</strong></a></li>");
        }

        body.Append("</ul></section>");

        var studies = await new StudyOverview(database.Catalogue, database.Jobs).ListAsync(null, 10, cancellationToken).ConfigureAwait(false);
        body.Append("<section aria-labelledby=\"studies\"><h2 id=\"studies\">Recent studies</h2>")
            .Append(Table(["Study", "AE", "Instances", "Last received", "State", "Findings", "Result"],
                studies.Select(s => Row(s, data)),
                "No study received yet."))
            .Append("</section>");
        return Layout.Page("Dashboard", "/", context.User, antiforgery.GetAndStoreTokens(context), body.ToString());
    }

    private static string[] Row(StudyView study, string data)
    {
        var analysis = study.Analysis is { } a ? $" (analysis {a.State})" : "";
        return
        [
            $"<code>{E(study.StudyInstanceUid)}</code>", E(study.CalledAe), E(study.InstanceCount), Time(study.LastReceivedAt),
            E(study.State + analysis),
            // The analysis's own summary (labels and counts, as `studies list` and the worklist show it), not the SR's text items.
            E(study.Findings ?? ""),
            StudyResults.HasSecondaryCapture(data, study.StudyInstanceUid)
                ? $"<img src=\"/studies/{E(study.StudyInstanceUid)}/thumbnail.png\" alt=\"Secondary Capture of study {E(study.StudyInstanceUid)}\" width=\"128\" loading=\"lazy\">"
                : "",
        ];
    }

    public static string Plural(int n, string word) => n.ToString(CultureInfo.InvariantCulture) + " " + word + (n == 1 ? "" : "s");
}
