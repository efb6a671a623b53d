namespace MiniGptMed.DicomNode.Worklist.Triage;

/// <summary>
/// <c>Worklist:Triage</c>: rules that raise a study's priority from its findings. <c>Rules</c> apply to every listening
/// AE; <c>AeTitles:&lt;AE&gt;:Rules</c>, when given, replace them for that AE (the administration issue moves per-AE
/// settings to the database; until then they live here). A study whose findings match no rule is routine.
/// </summary>
public sealed class TriageOptions
{
    public const string Section = "Worklist:Triage";

    public List<TriageRuleOptions> Rules { get; set; } = [];

    public Dictionary<string, TriageAeOptions> AeTitles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The rules for one AE: its own when it has any, else the common ones.</summary>
    public IReadOnlyList<TriageRuleOptions> RulesFor(string calledAe) =>
        AeTitles.TryGetValue(calledAe, out var ae) && ae.Rules is { Count: > 0 } own ? own : Rules;
}

public sealed class TriageAeOptions
{
    public List<TriageRuleOptions> Rules { get; set; } = [];
}

/// <summary>
/// One rule: a finding matches when its code is one of <see cref="Codes"/> (<c>SCHEME:VALUE</c>, e.g.
/// <c>SCT:233604007</c>, or a bare value) or its phrase matches one of <see cref="Phrases"/> (case-insensitive globs),
/// and the model's confidence is at least <see cref="MinConfidence"/> (a finding without a confidence matches only a
/// rule whose MinConfidence is 0).
/// </summary>
public sealed class TriageRuleOptions
{
    public string Name { get; set; } = "";

    /// <summary><c>stat</c> or <c>urgent</c> (routine is what no rule gives).</summary>
    public string Priority { get; set; } = "urgent";

    public List<string> Codes { get; set; } = [];

    public List<string> Phrases { get; set; } = [];

    /// <summary>0..1: the least confidence (geometric mean of the finding's token probabilities) that counts.</summary>
    public double MinConfidence { get; set; }
}
