namespace MiniGptMed.DicomNode.Assembly;

/// <summary>
/// Which groups are analysed, and how (configuration section <c>AnalysisRules</c>). Rules are tried in order; the
/// first whose every pattern list matches wins. A group no rule matches is not analysed (state <c>ignored</c>).
/// With no rule configured, <see cref="Defaults"/> applies: the uses the model was trained and evaluated for
/// (MODEL.md): chest radiographs (report, pneumonia detection) and chest CT (nodule detection on 8 lung-window slices).
/// </summary>
public sealed class AnalysisRulesOptions
{
    public const string Section = "AnalysisRules";

    public List<AnalysisRuleOptions> Rules { get; set; } = [];

    /// <summary>
    /// Set when the rules come from the node's database (Administration/ConfigOverlay): there an empty table means no
    /// rule, not the defaults (which seeded it).
    /// </summary>
    public bool FromDatabase { get; set; }

    /// <summary>Per listening AE title, the names of the rules tried for it; an AE not listed, or listed empty, tries every rule.</summary>
    public Dictionary<string, List<string>> AeRules { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The rules in force: the configured ones, or the defaults when none is configured.</summary>
    public IReadOnlyList<AnalysisRuleOptions> Effective => Rules.Count > 0 || FromDatabase ? Rules : Defaults;

    /// <summary>The rules tried for one listening AE, in order.</summary>
    public IReadOnlyList<AnalysisRuleOptions> EffectiveFor(string calledAe) =>
        AeRules.TryGetValue(calledAe, out var names) && names.Count > 0
            ? [.. Effective.Where(r => names.Contains(r.Name, StringComparer.Ordinal))]
            : Effective;

    public static IReadOnlyList<AnalysisRuleOptions> Defaults { get; } =
    [
        new()
        {
            Name = "chest-radiograph",
            Modalities = ["CR", "DX"],
            BodyParts = ["CHEST", "THORAX", ""],
            Tasks = [new() { Task = "report" }, new() { Task = "detection", Prompt = "pneumonia" }],
            Window = "dataset",
            Slices = "all",
            MaxImages = 4,
        },
        new()
        {
            Name = "chest-ct",
            Modalities = ["CT"],
            BodyParts = ["CHEST", "THORAX", "LUNG", ""],
            Tasks = [new() { Task = "detection", Prompt = "nodule" }],
            Window = "lung",
            Slices = "even:8",
            MaxImages = 8,
        },
    ];
}

/// <summary>
/// One rule. Each pattern list is matched against the group's instances (case-insensitive glob: <c>*</c> any run,
/// <c>?</c> one character); an empty list matches anything. An empty pattern matches an absent or empty attribute
/// (Body Part Examined is Type 3, PS3.3 C.7.3.1, and often missing).
/// </summary>
public sealed class AnalysisRuleOptions
{
    public string Name { get; set; } = "";

    public List<string> CalledAes { get; set; } = [];

    public List<string> Modalities { get; set; } = [];

    public List<string> BodyParts { get; set; } = [];

    public List<string> SopClasses { get; set; } = [];

    public List<string> SeriesDescriptions { get; set; } = [];

    public List<AnalysisTaskOptions> Tasks { get; set; } = [];

    /// <summary>A window preset name (lung, mediastinum, bone, brain, abdomen), "dataset", "auto" or "CENTRE,WIDTH".</summary>
    public string Window { get; set; } = "dataset";

    /// <summary>Slices of a volume: all, middle, every:K, even:N or range:FROM..TO (mm).</summary>
    public string Slices { get; set; } = "all";

    /// <summary>The most images of one group given to the model (the rest are not analysed; the SR says so).</summary>
    public int MaxImages { get; set; } = 16;
}

/// <summary>One model task of a rule: report, vqa, detection, grounding, refer, identify; its prompt (the finding to detect, the question).</summary>
public sealed class AnalysisTaskOptions
{
    public string Task { get; set; } = "";

    public string? Prompt { get; set; }
}
