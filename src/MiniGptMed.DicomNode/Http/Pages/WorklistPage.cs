using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using MiniGptMed.Dicom.Data;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Database;
using MiniGptMed.DicomNode.Export;
using MiniGptMed.DicomNode.Worklist;
using MiniGptMed.DicomNode.Worklist.Triage;
using static MiniGptMed.DicomNode.Http.Pages.Html;

namespace MiniGptMed.DicomNode.Http.Pages;

/// <summary>
/// <c>GET /worklist</c>: the reading worklist (<c>GET /api/worklist</c> as a page): studies by triage priority, then
/// arrival, with filters by AE, modality, priority and state, each study's findings with the model's confidence, and a
/// link to each result object the node wrote (the SR and Secondary Captures in its results folder). A failed analysis
/// shows as failed, never as routine. No patient data: the study UID and the accession find the order in the RIS.
/// </summary>
internal static class WorklistPage
{
    public static async Task<IResult> RenderAsync(HttpContext context, NodeDatabase database, string dataDirectory, IAntiforgery antiforgery,
        string? ae, string? modality, string? priority, string? state, CancellationToken cancellationToken)
    {
        static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        var query = WorklistView.Query(Given(ae), Given(modality), Given(priority), Given(state), null, out var error);
        var body = new StringBuilder(Layout.Notice(error, error: true));
        body.Append("<form method=\"get\" action=\"/worklist\" class=\"filter\" role=\"search\" aria-label=\"Filter the worklist\">")
            .Append(Input("ae", "AE title", ae))
            .Append(Input("modality", "Modality", modality))
            .Append(Select("priority", "Priority", priority, ["stat", "urgent", "failed", "routine"]))
            .Append(Select("state", "State", state, Enum.GetValues<StudyState>().Select(SqlCatalogue.ToText)))
            .Append("<button type=\"submit\">Filter</button> <a href=\"/worklist\">Clear</a></form>");

        IReadOnlyList<WorklistEntry> rows = error is null ? await database.Triage.WorklistAsync(query, cancellationToken).ConfigureAwait(false) : [];
        body.Append(Table(["Priority", "Summary", "Study", "AE", "Modality", "Arrived", "State", "Findings", "Results"],
            rows.Select(e => Row(WorklistView.From(e), dataDirectory)),
            error is null ? "No study matches." : "Fix the filter."));
        return Layout.Page("Worklist", "/worklist", context.User, antiforgery.GetAndStoreTokens(context), body.ToString(), error is null ? 200 : 400);
    }

    private static string[] Row(WorklistView view, string dataDirectory) =>
    [
        $"<span class=\"priority priority-{E(view.Priority)}\">{E(view.Priority)}</span>",
        E(view.Summary ?? (view.Priority == "pending" ? "not analysed yet" : "")),
        $"<code>{E(view.StudyInstanceUid)}</code>",
        E(view.CalledAe),
        E(view.Modality),
        Time(view.FirstReceivedAt),
        E(view.State),
        Findings(view.Findings),
        Results(view.StudyInstanceUid, dataDirectory),
    ];

    private static string Findings(IReadOnlyList<TriageFinding> findings)
    {
        if (findings.Count == 0)
        {
            return "";
        }

        var html = new StringBuilder("<ul class=\"findings\">");
        foreach (var f in findings)
        {
            html.Append("<li>").Append(E(f.Phrase ?? f.Meaning));
            if (!string.Equals(f.Phrase, f.Meaning, StringComparison.OrdinalIgnoreCase) && f.Phrase is not null)
            {
                html.Append(" (").Append(E(f.Meaning)).Append(')');
            }

            html.Append(f.Confidence is { } c ? $" <span class=\"confidence\">{E((c * 100).ToString("0", CultureInfo.InvariantCulture))}%</span>" : " <span class=\"confidence\">confidence unknown</span>")
                .Append("</li>");
        }

        return html.Append("</ul>").ToString();
    }

    /// <summary>A link per sealed result object of the study (<c>/studies/&lt;uid&gt;/results/&lt;file&gt;</c>).</summary>
    private static string Results(string studyUid, string dataDirectory)
    {
        if (!DicomUid.IsValid(studyUid))
        {
            return "";
        }

        var links = ResultFolders.Files(ResultFolders.For(dataDirectory, studyUid))
            .Select(Path.GetFileName)
            .Select(name => $"<a href=\"/studies/{E(studyUid)}/results/{E(Uri.EscapeDataString(name!))}\" download>{E(Label(name!))}</a>")
            .ToList();
        return string.Join("<br>", links);
    }

    /// <summary>SR_… is the Structured Report, SC_… a Secondary Capture, PR_… a presentation state (Results/ResultKind).</summary>
    private static string Label(string name) => name.Split('_')[0] switch
    {
        "SR" => "Structured report",
        "SC" => "Secondary capture",
        "PR" => "Presentation state",
        _ => name,
    };

    private static string Input(string name, string label, string? value) =>
        $"<label for=\"w-{name}\">{E(label)}</label> <input id=\"w-{name}\" name=\"{name}\" value=\"{E(value)}\" size=\"10\"> ";

    private static string Select(string name, string label, string? value, IEnumerable<string> options)
    {
        var html = new StringBuilder($"<label for=\"w-{name}\">{E(label)}</label> <select id=\"w-{name}\" name=\"{name}\"><option value=\"\">any</option>");
        foreach (var option in options)
        {
            html.Append("<option").Append(string.Equals(option, value?.Trim(), StringComparison.OrdinalIgnoreCase) ? " selected" : "").Append('>')
                .Append(E(option)).Append("</option>");
        }

        return html.Append("</select> ").ToString();
    }

    /// <summary>
    /// <c>GET /studies/{uid}/results/{name}</c>: one result object as application/dicom. The UID is checked and the name
    /// must be one of the folder's sealed files, so no other path can be named.
    /// </summary>
    public static IResult Download(string uid, string name, string dataDirectory)
    {
        if (!DicomUid.IsValid(uid))
        {
            return Microsoft.AspNetCore.Http.Results.NotFound();
        }

        var file = ResultFolders.Files(ResultFolders.For(dataDirectory, uid)).FirstOrDefault(f => string.Equals(Path.GetFileName(f), name, StringComparison.Ordinal));
        return file is null ? Microsoft.AspNetCore.Http.Results.NotFound() : TypedResults.PhysicalFile(file, "application/dicom", name);
    }
}
