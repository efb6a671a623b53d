using System.CommandLine;
using System.Globalization;
using MiniGptMed.DicomNode.Administration;
using MiniGptMed.DicomNode.Assembly;
using MiniGptMed.DicomNode.Catalogue;
using MiniGptMed.DicomNode.Cli.Admin;
using MiniGptMed.DicomNode.Export;

namespace MiniGptMed.DicomNode.Cli.Config;

/// <summary>The verbs <c>ae</c>, <c>source</c>, <c>destination</c> and <c>rule</c>: their fields as options, and their tables.</summary>
internal static class ConfigCommands
{
    public static IEnumerable<Command> Create(CliContext cli)
    {
        yield return Aes().Create(cli);
        yield return Sources().Create(cli);
        var destinations = Destinations().Create(cli);
        destinations.Subcommands.Add(DestinationEcho.Create(cli));
        yield return destinations;
        yield return Rules().Create(cli);
    }

    private static ConfigVerb<ListeningAe> Aes()
    {
        var groupBy = new Option<string>("--group-by") { Description = "What one analysis covers.", HelpName = "study|series" };
        groupBy.OneOf("study", "series");
        var stable = new Option<int>("--stable-seconds") { Description = "A group is stable this long after its last instance (default 10).", HelpName = "N" };
        var maxWait = new Option<int>("--max-wait-seconds") { Description = "A group is taken at this age even if instances still arrive (default 600).", HelpName = "N" };
        var late = new Option<string>("--late-arrivals") { Description = "Instances after the analysis started: ignore, or analyse the group again.", HelpName = "ignore|reanalyse" };
        late.OneOf("ignore", "reanalyse");
        var known = new Option<bool>("--require-known-source") { Description = "Accept only known sources, even from loopback (--require-known-source false to turn off)." };
        var rules = new Option<string[]>("--rule") { Description = "A rule tried for this AE (repeat; none: every rule).", HelpName = "NAME", Arity = ArgumentArity.ZeroOrMore };
        var destinations = new Option<string[]>("--destination") { Description = "A destination of its results (repeat; none: every destination).", HelpName = "NAME", Arity = ArgumentArity.ZeroOrMore };
        return new ConfigVerb<ListeningAe>(ConfigKind.Ae, "ae", "AE", "The AE titles the node answers to: assembly settings, rules and destinations per AE.",
            a => a.Aes, AdministrationJsonContext.Default.ListeningAe, [groupBy, stable, maxWait, late, known, rules, destinations],
            (parse, name, stored) =>
            {
                var item = stored ?? new ListeningAe();
                return item with
                {
                    AeTitle = name,
                    GroupBy = parse.GetValue(groupBy) is { } g ? (g.Equals("series", StringComparison.OrdinalIgnoreCase) ? GroupLevel.Series : GroupLevel.Study) : item.GroupBy,
                    StableSeconds = CliContext.Given(parse, stable) ? parse.GetValue(stable) : item.StableSeconds,
                    MaxWaitSeconds = CliContext.Given(parse, maxWait) ? parse.GetValue(maxWait) : item.MaxWaitSeconds,
                    LateArrivals = parse.GetValue(late) is { } l ? (l.Equals("reanalyse", StringComparison.OrdinalIgnoreCase) ? LateArrivalPolicy.Reanalyse : LateArrivalPolicy.Ignore) : item.LateArrivals,
                    RequireKnownSource = CliContext.Given(parse, known) ? parse.GetValue(known) : item.RequireKnownSource,
                    Rules = CliContext.List(parse, rules) ?? item.Rules,
                    Destinations = CliContext.List(parse, destinations) ?? item.Destinations,
                };
            },
            (writer, items) => TextTable.Write(writer, ["AE TITLE", "GROUP BY", "STABLE S", "MAX WAIT S", "LATE", "KNOWN ONLY", "RULES", "DESTINATIONS"],
                items.Select(a => (IReadOnlyList<string>)[a.AeTitle, a.GroupBy.ToString().ToLowerInvariant(), TextTable.Text(a.StableSeconds), TextTable.Text(a.MaxWaitSeconds),
                    a.LateArrivals.ToString().ToLowerInvariant(), a.RequireKnownSource ? "yes" : "no", All(a.Rules), All(a.Destinations)])));
    }

    private static ConfigVerb<Source> Sources()
    {
        var aeTitle = new Option<string>("--ae-title") { Description = "Its calling AE title, or * for any from its addresses.", HelpName = "AE" };
        var addresses = new Option<string[]>("--address") { Description = "An IP address or CIDR network it connects from (repeat).", HelpName = "IP|CIDR", Arity = ArgumentArity.ZeroOrMore };
        var called = new Option<string[]>("--called-ae") { Description = "A listening AE it may call (repeat; none: all).", HelpName = "AE", Arity = ArgumentArity.ZeroOrMore };
        var port = new Option<int>("--results-port") { Description = "The port of its own storage SCP, where results can be sent back (0: none).", HelpName = "PORT" };
        return new ConfigVerb<Source>(ConfigKind.Source, "source", "NAME", "The peers allowed to send (AE title and addresses), and which AEs they may call.",
            a => a.Sources, AdministrationJsonContext.Default.Source, [aeTitle, addresses, called, port],
            (parse, name, stored) =>
            {
                var item = stored ?? new Source();
                return item with
                {
                    Name = name,
                    AeTitle = parse.GetValue(aeTitle) ?? item.AeTitle,
                    Addresses = CliContext.List(parse, addresses) ?? item.Addresses,
                    CalledAes = CliContext.List(parse, called) ?? item.CalledAes,
                    ResultsPort = CliContext.Given(parse, port) ? (parse.GetValue(port) is var p && p == 0 ? null : p) : item.ResultsPort,
                };
            },
            (writer, items) => TextTable.Write(writer, ["NAME", "AE TITLE", "ADDRESSES", "MAY CALL", "RESULTS PORT"],
                items.Select(s => (IReadOnlyList<string>)[s.Name, s.AeTitle, string.Join(",", s.Addresses), All(s.CalledAes),
                    s.ResultsPort is { } p ? TextTable.Text(p) : "-"])));
    }

    private static ConfigVerb<Destination> Destinations()
    {
        var aeTitle = new Option<string>("--ae-title") { Description = "The destination's AE title (called AE).", HelpName = "AE" };
        var host = new Option<string>("--host") { Description = "Its host name or IP address.", HelpName = "HOST" };
        var port = new Option<int>("--port") { Description = "Its port, 1-65535 (default 104).", HelpName = "PORT" };
        var folder = new Option<string>("--folder") { Description = "A folder instead of a DICOM peer: results go to FOLDER/results/<study>/ (empty: the data folder).", HelpName = "DIR" };
        var ca = new Option<string>("--tls-ca") { Description = "DICOM TLS: the CAs (PEM) its certificate must chain to.", HelpName = "CA.pem" };
        var cert = new Option<string>("--tls-cert") { Description = "DICOM TLS: our certificate (PEM), if it asks for one.", HelpName = "CERT.pem" };
        var key = new Option<string>("--tls-key") { Description = "DICOM TLS: our key (PEM).", HelpName = "KEY.pem" };
        var timeout = new Option<int>("--attempt-timeout-seconds") { Description = "One association may take this long (default 120).", HelpName = "N" };
        var retries = new Option<int>("--retries") { Description = "Attempts within one export job after the first fails (default 3).", HelpName = "N" };
        return new ConfigVerb<Destination>(ConfigKind.Destination, "destination", "NAME", "Where results go: DICOM peers (C-STORE, optionally TLS) or folders.",
            a => a.Destinations, AdministrationJsonContext.Default.Destination, [aeTitle, host, port, folder, ca, cert, key, timeout, retries],
            (parse, name, stored) =>
            {
                var item = stored ?? new Destination();
                return item with
                {
                    Name = name,
                    // --folder makes it a folder destination; --host or --ae-title a DICOM one; neither keeps what it was.
                    Type = CliContext.Given(parse, folder) ? DestinationType.Folder
                        : CliContext.Given(parse, host) || CliContext.Given(parse, aeTitle) ? DestinationType.Dicom
                        : item.Type,
                    AeTitle = parse.GetValue(aeTitle) ?? item.AeTitle,
                    Host = parse.GetValue(host) ?? item.Host,
                    Port = CliContext.Given(parse, port) ? parse.GetValue(port) : item.Port,
                    Path = parse.GetValue(folder) ?? item.Path,
                    TlsCaFile = parse.GetValue(ca) ?? item.TlsCaFile,
                    TlsCertificateFile = parse.GetValue(cert) ?? item.TlsCertificateFile,
                    TlsKeyFile = parse.GetValue(key) ?? item.TlsKeyFile,
                    AttemptTimeoutSeconds = CliContext.Given(parse, timeout) ? parse.GetValue(timeout) : item.AttemptTimeoutSeconds,
                    Retries = CliContext.Given(parse, retries) ? parse.GetValue(retries) : item.Retries,
                };
            },
            (writer, items) => TextTable.Write(writer, ["NAME", "TYPE", "AE TITLE", "HOST", "PORT", "FOLDER", "TLS"],
                items.Select(d => (IReadOnlyList<string>)(d.Type == DestinationType.Folder
                    ? [d.Name, "folder", "-", "-", "-", d.Path.Length > 0 ? d.Path : "(data folder)", "-"]
                    : [d.Name, "dicom", d.AeTitle, d.Host, TextTable.Text(d.Port), "-", d.TlsCaFile is null ? "no" : "yes"]))));
    }

    private static ConfigVerb<AnalysisRule> Rules()
    {
        var order = new Option<int>("--order") { Description = "Rules are tried lowest first (seeded rules: 10, 20, ...).", HelpName = "N" };
        var called = new Option<string[]>("--called-ae") { Description = "A listening AE pattern it applies to (* and ?; repeat; none: all).", HelpName = "PATTERN", Arity = ArgumentArity.ZeroOrMore };
        var modalities = new Option<string[]>("--modality") { Description = "A Modality pattern (repeat; none: any).", HelpName = "PATTERN", Arity = ArgumentArity.ZeroOrMore };
        var bodyParts = new Option<string[]>("--body-part") { Description = "A Body Part Examined pattern (repeat; none: any; an empty pattern matches a missing one).", HelpName = "PATTERN", Arity = ArgumentArity.ZeroOrMore };
        var sopClasses = new Option<string[]>("--sop-class") { Description = "A SOP Class UID pattern (repeat; none: any).", HelpName = "PATTERN", Arity = ArgumentArity.ZeroOrMore };
        var series = new Option<string[]>("--series-description") { Description = "A Series Description pattern (repeat; none: any).", HelpName = "PATTERN", Arity = ArgumentArity.ZeroOrMore };
        var tasks = new Option<string[]>("--task") { Description = "A model task, TASK or TASK:PROMPT (report, vqa, detection:pneumonia, ...; repeat).", HelpName = "TASK[:PROMPT]", Arity = ArgumentArity.ZeroOrMore };
        var window = new Option<string>("--window") { Description = "lung, mediastinum, bone, brain, abdomen, dataset, auto or CENTRE,WIDTH.", HelpName = "PRESET" };
        var slices = new Option<string>("--slices") { Description = "all, middle, every:K, even:N or range:FROM..TO (mm).", HelpName = "SELECTION" };
        var maxImages = new Option<int>("--max-images") { Description = "The most images of one group given to the model (default 16).", HelpName = "N" };
        return new ConfigVerb<AnalysisRule>(ConfigKind.Rule, "rule", "NAME", "Which groups are analysed and how; the first rule that matches a group analyses it.",
            a => a.Rules, AdministrationJsonContext.Default.AnalysisRule, [order, called, modalities, bodyParts, sopClasses, series, tasks, window, slices, maxImages],
            (parse, name, stored) =>
            {
                var item = stored ?? new AnalysisRule();
                return item with
                {
                    Name = name,
                    Order = CliContext.Given(parse, order) ? parse.GetValue(order) : item.Order,
                    CalledAes = CliContext.List(parse, called) ?? item.CalledAes,
                    Modalities = CliContext.List(parse, modalities) ?? item.Modalities,
                    // An empty --body-part "" is a pattern here (a missing Body Part Examined), not "clear".
                    BodyParts = parse.GetResult(bodyParts) is null ? item.BodyParts : [.. parse.GetValue(bodyParts) ?? []],
                    SopClasses = CliContext.List(parse, sopClasses) ?? item.SopClasses,
                    SeriesDescriptions = CliContext.List(parse, series) ?? item.SeriesDescriptions,
                    Tasks = CliContext.List(parse, tasks) is { } t ? [.. t.Select(Task)] : item.Tasks,
                    Window = parse.GetValue(window) ?? item.Window,
                    Slices = parse.GetValue(slices) ?? item.Slices,
                    MaxImages = CliContext.Given(parse, maxImages) ? parse.GetValue(maxImages) : item.MaxImages,
                };
            },
            (writer, items) => TextTable.Write(writer, ["ORDER", "NAME", "CALLED AES", "MODALITIES", "BODY PARTS", "TASKS", "WINDOW", "SLICES", "MAX IMAGES"],
                items.Select(r => (IReadOnlyList<string>)[TextTable.Text(r.Order), r.Name, All(r.CalledAes), All(r.Modalities), All(r.BodyParts.Select(b => b.Length == 0 ? "(none)" : b).ToList()),
                    string.Join(",", r.Tasks.Select(t => t.Prompt is null ? t.Task : $"{t.Task}:{t.Prompt}")), r.Window, r.Slices, TextTable.Text(r.MaxImages)])));
    }

    private static RuleTask Task(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? new RuleTask(text.Trim()) : new RuleTask(text[..colon].Trim(), text[(colon + 1)..].Trim());
    }

    private static string All(IReadOnlyList<string> names) => names.Count == 0 ? "(all)" : string.Join(",", names);
}
