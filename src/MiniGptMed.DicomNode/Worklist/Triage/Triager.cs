using System.Globalization;
using MiniGptMed.DicomNode.Assembly;

namespace MiniGptMed.DicomNode.Worklist.Triage;

/// <summary>The triage of one study: its priority, the rule that decided (if any) and a one-line summary without patient data.</summary>
public sealed record TriageDecision(TriagePriority Priority, string? Rule, string Summary);

/// <summary>
/// Applies the AE's triage rules to a study's findings: the highest priority of any rule that matches any finding
/// wins (stat over urgent; among equals the first rule in order). No finding, or none that a rule matches, is
/// routine. A failed analysis is decided by <see cref="Failed"/>, never here.
/// </summary>
public static class Triager
{
    private const int SummaryFindings = 3;

    public static TriageDecision Decide(IReadOnlyList<TriageRuleOptions> rules, IReadOnlyList<TriageFinding> findings)
    {
        TriageRuleOptions? best = null;
        TriagePriority bestPriority = TriagePriority.Routine;
        TriageFinding? trigger = null;
        foreach (var rule in rules)
        {
            if (!TriagePriorities.TryParse(rule.Priority, out var priority))
            {
                continue;
            }

            foreach (var finding in findings)
            {
                if (Matches(rule, finding) && (best is null || priority.Rank() < bestPriority.Rank()))
                {
                    best = rule;
                    bestPriority = priority;
                    trigger = finding;
                }
            }
        }

        var summary = Summary(bestPriority, findings, best, trigger);
        return new TriageDecision(bestPriority, best?.Name, summary);
    }

    public static TriageDecision Failed(string reason)
    {
        var line = OneLine(reason);
        return new TriageDecision(TriagePriority.Failed, null, $"FAILED: analysis failed: {(line.Length > 160 ? line[..160] + "..." : line)}");
    }

    public static bool Matches(TriageRuleOptions rule, TriageFinding finding)
    {
        var confidence = finding.Confidence ?? 0;
        if (confidence < rule.MinConfidence || (finding.Confidence is null && rule.MinConfidence > 0))
        {
            return false;
        }

        var byCode = rule.Codes.Any(c =>
        {
            var colon = c.IndexOf(':', StringComparison.Ordinal);
            return colon < 0
                ? string.Equals(c.Trim(), finding.Code, StringComparison.OrdinalIgnoreCase)
                : string.Equals(c[..colon].Trim(), finding.Scheme, StringComparison.OrdinalIgnoreCase)
                  && string.Equals(c[(colon + 1)..].Trim(), finding.Code, StringComparison.OrdinalIgnoreCase);
        });
        return byCode || (finding.Phrase is { } phrase && rule.Phrases.Any(p => Glob.Matches(p, phrase.Trim())));
    }

    private static string Summary(TriagePriority priority, IReadOnlyList<TriageFinding> findings, TriageRuleOptions? rule, TriageFinding? trigger)
    {
        var head = priority.ToText().ToUpperInvariant();
        if (findings.Count == 0)
        {
            return $"{head}: no finding";
        }

        // The finding that decided first, then the others by confidence.
        var ordered = findings.OrderByDescending(f => ReferenceEquals(f, trigger)).ThenByDescending(f => f.Confidence ?? -1).ToList();
        var named = string.Join(", ", ordered.Take(SummaryFindings).Select(Describe));
        var more = ordered.Count > SummaryFindings ? string.Create(CultureInfo.InvariantCulture, $" and {ordered.Count - SummaryFindings} more") : "";
        var by = rule is null ? "" : $" (rule {rule.Name})";
        return OneLine($"{head}: {named}{more}{by}");
    }

    private static string Describe(TriageFinding f)
    {
        var name = f.Phrase is { Length: > 0 } p ? p : f.Meaning;
        return f.Confidence is { } c ? string.Create(CultureInfo.InvariantCulture, $"{name} {c * 100:0}%") : name;
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
