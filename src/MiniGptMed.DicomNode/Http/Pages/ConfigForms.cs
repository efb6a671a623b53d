using System.Globalization;
using MiniGptMed.DicomNode.Administration;
using MiniGptMed.DicomNode.Assembly;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Export;

namespace MiniGptMed.DicomNode.Http.Pages;

/// <summary>The four kinds of configuration item as console forms; the labels say what the CLI's options say.</summary>
internal static class ConfigForms
{
    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Join(IEnumerable<string> values) => string.Join(", ", values);

    public static readonly ConfigForm<ListeningAe> Aes = new(
        "/aes", "AE titles", "AE title", a => a.Aes, ae => ae.AeTitle,
        [
            new("aeTitle", "AE title", InputKind.Text, "1-16 characters of the default repertoire, no backslash (PS3.5 6.2)."),
            new("groupBy", "Group by", InputKind.Choice, "What one analysis covers.", Enum.GetNames<GroupLevel>()),
            new("stableSeconds", "Stable after (seconds)", InputKind.Number, "A group is complete this long after its last instance."),
            new("maxWaitSeconds", "Maximum wait (seconds)", InputKind.Number, "A group is taken at this age even if instances still arrive."),
            new("lateArrivals", "Late arrivals", InputKind.Choice, "Instances after the analysis: ignored, or analysed again.", Enum.GetNames<LateArrivalPolicy>()),
            new("requireKnownSource", "Only known sources", InputKind.Checkbox, "Refuse callers that are not a source, even from this machine."),
            new("rules", "Rules", InputKind.List, "Rule names, comma-separated; empty: every rule."),
            new("destinations", "Destinations", InputKind.List, "Destination names, comma-separated; empty: every destination."),
        ],
        ["AE title", "Group by", "Stable", "Max wait", "Late arrivals", "Known sources only", "Rules", "Destinations"],
        ae => [ae.AeTitle, ae.GroupBy.ToString(), N(ae.StableSeconds) + " s", N(ae.MaxWaitSeconds) + " s", ae.LateArrivals.ToString(),
            ae.RequireKnownSource ? "yes" : "no", ae.Rules.Count == 0 ? "all" : Join(ae.Rules), ae.Destinations.Count == 0 ? "all" : Join(ae.Destinations)],
        ae => new Dictionary<string, string>
        {
            ["aeTitle"] = ae.AeTitle, ["groupBy"] = ae.GroupBy.ToString(), ["stableSeconds"] = N(ae.StableSeconds), ["maxWaitSeconds"] = N(ae.MaxWaitSeconds),
            ["lateArrivals"] = ae.LateArrivals.ToString(), ["requireKnownSource"] = ae.RequireKnownSource ? "on" : "", ["rules"] = Join(ae.Rules),
            ["destinations"] = Join(ae.Destinations),
        },
        form => new ListeningAe
        {
            AeTitle = form.Text("aeTitle"), GroupBy = form.Choice("groupBy", GroupLevel.Study), StableSeconds = form.Number("stableSeconds", 10),
            MaxWaitSeconds = form.Number("maxWaitSeconds", 600), LateArrivals = form.Choice("lateArrivals", LateArrivalPolicy.Ignore),
            RequireKnownSource = form.Checked("requireKnownSource"), Rules = form.List("rules"), Destinations = form.List("destinations"),
        });

    public static readonly ConfigForm<Source> Sources = new(
        "/sources", "Sources", "source", a => a.Sources, s => s.Name,
        [
            new("name", "Name", InputKind.Text, "How the audit and the lists name it."),
            new("aeTitle", "Calling AE title", InputKind.Text, "Its own AE title, or * for any from its addresses."),
            new("addresses", "Addresses", InputKind.List, "IP addresses or CIDR networks (10.1.0.0/16), comma-separated; host names are not resolved."),
            new("calledAes", "May call", InputKind.List, "Listening AE titles it may call, comma-separated; empty: all."),
            new("resultsPort", "Results port", InputKind.Number, "Where it listens for results sent back to it, if it does."),
        ],
        ["Name", "AE title", "Addresses", "May call", "Results port"],
        s => [s.Name, s.AeTitle, Join(s.Addresses), s.CalledAes.Count == 0 ? "all" : Join(s.CalledAes), s.ResultsPort is { } p ? N(p) : ""],
        s => new Dictionary<string, string>
        {
            ["name"] = s.Name, ["aeTitle"] = s.AeTitle, ["addresses"] = Join(s.Addresses), ["calledAes"] = Join(s.CalledAes),
            ["resultsPort"] = s.ResultsPort is { } p ? N(p) : "",
        },
        form => new Source
        {
            Name = form.Text("name"), AeTitle = form.Text("aeTitle"), Addresses = form.List("addresses"), CalledAes = form.List("calledAes"),
            ResultsPort = form.OptionalNumber("resultsPort"),
        });

    public static readonly ConfigForm<Destination> Destinations = new(
        "/destinations", "Destinations", "destination", a => a.Destinations, d => d.Name,
        [
            new("name", "Name", InputKind.Text, "Names it in export jobs: no colon or space."),
            new("type", "Type", InputKind.Choice, "A DICOM peer (C-STORE), or a folder.", Enum.GetNames<DestinationType>()),
            new("aeTitle", "AE title", InputKind.Text, "The peer's AE title (DICOM)."),
            new("host", "Host", InputKind.Text, "IP address or DNS name (DICOM)."),
            new("port", "Port", InputKind.Number, "1-65535 (DICOM)."),
            new("path", "Folder", InputKind.Text, "Folder destinations: where results/<study>/ goes."),
            new("tlsCaFile", "TLS CA file", InputKind.Text, "DICOM TLS: the CAs (PEM) the peer must chain to; empty: plain TCP."),
            new("attemptTimeoutSeconds", "Attempt timeout (seconds)", InputKind.Number),
            new("retries", "Retries", InputKind.Number),
        ],
        ["Name", "Type", "AE title", "Host", "Port", "Folder", "TLS"],
        d => [d.Name, d.Type.ToString(), d.AeTitle, d.Host, d.Type == DestinationType.Dicom ? N(d.Port) : "", d.Path, d.TlsCaFile is null ? "no" : "yes"],
        d => new Dictionary<string, string>
        {
            ["name"] = d.Name, ["type"] = d.Type.ToString(), ["aeTitle"] = d.AeTitle, ["host"] = d.Host, ["port"] = N(d.Port), ["path"] = d.Path,
            ["tlsCaFile"] = d.TlsCaFile ?? "", ["attemptTimeoutSeconds"] = N(d.AttemptTimeoutSeconds), ["retries"] = N(d.Retries),
        },
        form => new Destination
        {
            Name = form.Text("name"), Type = form.Choice("type", DestinationType.Dicom), AeTitle = form.Text("aeTitle"), Host = form.Text("host"),
            Port = form.Number("port", 104), Path = form.Text("path"), TlsCaFile = form.Optional("tlsCaFile"),
            AttemptTimeoutSeconds = form.Number("attemptTimeoutSeconds", 120), Retries = form.Number("retries", 3),
        });

    public static readonly ConfigForm<AnalysisRule> Rules = new(
        "/rules", "Rules", "rule", a => a.Rules, r => r.Name,
        [
            new("name", "Name", InputKind.Text),
            new("order", "Order", InputKind.Number, "Lower first; the first rule that matches a group analyses it."),
            new("calledAes", "Called AEs", InputKind.List, "Glob patterns, comma-separated; empty: any."),
            new("modalities", "Modalities", InputKind.List, "CR, DX, CT... comma-separated; empty: any."),
            new("bodyParts", "Body parts", InputKind.List, "CHEST, HEAD... comma-separated; empty: any."),
            new("seriesDescriptions", "Series descriptions", InputKind.List, "Glob patterns; empty: any."),
            new("tasks", "Tasks", InputKind.List, "task or task:prompt, comma-separated (detection:nodule, report)."),
            new("window", "Window", InputKind.Text, "lung, mediastinum, bone, brain, abdomen, dataset, auto, or CENTRE,WIDTH."),
            new("slices", "Slices", InputKind.Text, "all, middle, even:N, every:K."),
            new("maxImages", "Maximum images", InputKind.Number),
        ],
        ["Order", "Name", "Called AEs", "Modalities", "Body parts", "Tasks", "Window", "Slices", "Max images"],
        r => [N(r.Order), r.Name, Join(r.CalledAes), Join(r.Modalities), Join(r.BodyParts), Join(r.Tasks.Select(TaskText)), r.Window, r.Slices, N(r.MaxImages)],
        r => new Dictionary<string, string>
        {
            ["name"] = r.Name, ["order"] = N(r.Order), ["calledAes"] = Join(r.CalledAes), ["modalities"] = Join(r.Modalities), ["bodyParts"] = Join(r.BodyParts),
            ["seriesDescriptions"] = Join(r.SeriesDescriptions), ["tasks"] = Join(r.Tasks.Select(TaskText)), ["window"] = r.Window, ["slices"] = r.Slices,
            ["maxImages"] = N(r.MaxImages),
        },
        form => new AnalysisRule
        {
            Name = form.Text("name"), Order = form.Number("order", 100), CalledAes = form.List("calledAes"), Modalities = form.List("modalities"),
            BodyParts = form.List("bodyParts"), SeriesDescriptions = form.List("seriesDescriptions"),
            Tasks = [.. form.List("tasks").Select(t => t.Split(':', 2) is [var task, var prompt] ? new RuleTask(task.Trim(), prompt.Trim()) : new RuleTask(t))],
            Window = form.Text("window") is { Length: > 0 } window ? window : "dataset", Slices = form.Text("slices") is { Length: > 0 } slices ? slices : "all",
            MaxImages = form.Number("maxImages", 16),
        });

    private static string TaskText(RuleTask task) => task.Prompt is { Length: > 0 } prompt ? $"{task.Task}:{prompt}" : task.Task;
}
