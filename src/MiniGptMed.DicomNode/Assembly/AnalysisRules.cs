using MiniGptMed.DicomNode.Catalogue;

namespace MiniGptMed.DicomNode.Assembly;

/// <summary>A rule's verdict on a group: the rule and the instances it covers, or why nothing matched.</summary>
public sealed record RuleMatch(AnalysisRuleOptions? Rule, IReadOnlyList<InstanceRecord> Instances, string Reason)
{
    public bool Matched => Rule is not null;
}

/// <summary>
/// Chooses the analysis of a group from its catalogue rows (no file is read). A rule applies to the instances that
/// match it; the group is analysed by the first rule that matches any of its instances, with those instances only
/// (a chest CT study's scout and dose report are left out by Modality/SOP Class).
/// </summary>
public static class AnalysisRules
{
    public static RuleMatch Match(IReadOnlyList<AnalysisRuleOptions> rules, string calledAe, IReadOnlyList<InstanceRecord> instances)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(instances);
        foreach (var rule in rules)
        {
            if (!Glob.AnyMatches(rule.CalledAes, calledAe))
            {
                continue;
            }

            var covered = instances.Where(i => Matches(rule, i)).ToList();
            if (covered.Count > 0)
            {
                return new RuleMatch(rule, covered, $"rule '{rule.Name}' matches {covered.Count} of {instances.Count} instances");
            }
        }

        return new RuleMatch(null, [], $"no rule matches ({Describe(instances)})");
    }

    public static bool Matches(AnalysisRuleOptions rule, InstanceRecord instance) =>
        Glob.AnyMatches(rule.CalledAes, instance.CalledAe)
        && Glob.AnyMatches(rule.Modalities, instance.Modality)
        && Glob.AnyMatches(rule.BodyParts, instance.BodyPartExamined)
        && Glob.AnyMatches(rule.SopClasses, instance.SopClassUid)
        && Glob.AnyMatches(rule.SeriesDescriptions, instance.SeriesDescription);

    // The reason names what was seen, never patient data: modality, body part and SOP class are technical attributes.
    private static string Describe(IReadOnlyList<InstanceRecord> instances) =>
        instances.Count == 0
            ? "no instances"
            : string.Join(", ", instances
                .GroupBy(i => $"{Or(i.Modality)}/{Or(i.BodyPartExamined)}/{i.SopClassUid}", StringComparer.Ordinal)
                .Select(g => $"{g.Key} x{g.Count()}"));

    private static string Or(string? value) => string.IsNullOrWhiteSpace(value) ? "-" : value.Trim();
}
