namespace MiniGptMed.DicomNode.Administration;

/// <summary>
/// One analysis rule, the shape of <c>AnalysisRules:Rules</c> (Assembly/AnalysisRulesOptions.cs). Rules are tried in
/// <see cref="Order"/> (then name); the first that matches a group analyses it.
/// </summary>
public sealed record AnalysisRule
{
    public string Name { get; init; } = "";

    /// <summary>Lower first. Seeded rules get 10, 20, 30... so one can be put between two.</summary>
    public int Order { get; init; }

    public IReadOnlyList<string> CalledAes { get; init; } = [];

    public IReadOnlyList<string> Modalities { get; init; } = [];

    public IReadOnlyList<string> BodyParts { get; init; } = [];

    public IReadOnlyList<string> SopClasses { get; init; } = [];

    public IReadOnlyList<string> SeriesDescriptions { get; init; } = [];

    public IReadOnlyList<RuleTask> Tasks { get; init; } = [];

    /// <summary>A window preset name (lung, mediastinum, bone, brain, abdomen), "dataset", "auto" or "CENTRE,WIDTH".</summary>
    public string Window { get; init; } = "dataset";

    /// <summary>Slices of a volume: all, middle, every:K, even:N or range:FROM..TO (mm).</summary>
    public string Slices { get; init; } = "all";

    public int MaxImages { get; init; } = 16;
}

/// <summary>One model task of a rule (report, vqa, detection, grounding, refer, identify) and its prompt.</summary>
public sealed record RuleTask(string Task, string? Prompt = null);
