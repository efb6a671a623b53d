namespace MiniGptMed.DicomNode.Administration;

/// <summary>
/// One analysis rule, the shape of <c>AnalysisRules:Rules</c> (Assembly/AnalysisRulesOptions.cs). Rules are tried in
/// <see cref="Order"/> (then name); the first that matches a group analyses it.
/// </summary>
public sealed record AnalysisRule
{
    // Settable, not init-only: source-generated JSON assigns every init-only property in one object initializer, so a
    // property a request body leaves out would lose its default here (an AE added with only its title got MaxWait 0).
    public string Name { get; set; } = "";

    /// <summary>Lower first. Seeded rules get 10, 20, 30... so one can be put between two.</summary>
    public int Order { get; set; }

    public IReadOnlyList<string> CalledAes { get; set; } = [];

    public IReadOnlyList<string> Modalities { get; set; } = [];

    public IReadOnlyList<string> BodyParts { get; set; } = [];

    public IReadOnlyList<string> SopClasses { get; set; } = [];

    public IReadOnlyList<string> SeriesDescriptions { get; set; } = [];

    public IReadOnlyList<RuleTask> Tasks { get; set; } = [];

    /// <summary>A window preset name (lung, mediastinum, bone, brain, abdomen), "dataset", "auto" or "CENTRE,WIDTH".</summary>
    public string Window { get; set; } = "dataset";

    /// <summary>Slices of a volume: all, middle, every:K, even:N or range:FROM..TO (mm).</summary>
    public string Slices { get; set; } = "all";

    public int MaxImages { get; set; } = 16;
}

/// <summary>One model task of a rule (report, vqa, detection, grounding, refer, identify) and its prompt.</summary>
public sealed record RuleTask(string Task, string? Prompt = null);
