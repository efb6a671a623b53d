using System.Globalization;
using Microsoft.Extensions.Options;

namespace MiniGptMed.DicomNode.Worklist.Triage;

/// <summary>Checks <c>Worklist:Triage</c> at start; each message names the key.</summary>
internal sealed class TriageOptionsValidator : IValidateOptions<TriageOptions>
{
    public ValidateOptionsResult Validate(string? name, TriageOptions options)
    {
        var errors = new List<string>();
        Check(errors, $"{TriageOptions.Section}:Rules", options.Rules);
        foreach (var (ae, aeOptions) in options.AeTitles)
        {
            Check(errors, $"{TriageOptions.Section}:AeTitles:{ae}:Rules", aeOptions.Rules);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(List<string> errors, string key, List<TriageRuleOptions> rules)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"{key}:{i}");
            if (string.IsNullOrWhiteSpace(rule.Name))
            {
                errors.Add($"{at}:Name is required");
            }

            if (!TriagePriorities.TryParse(rule.Priority, out var priority) || priority is TriagePriority.Routine or TriagePriority.Failed)
            {
                errors.Add($"{at}:Priority '{rule.Priority}' must be stat or urgent");
            }

            if (rule.Codes.Count == 0 && rule.Phrases.Count == 0)
            {
                errors.Add($"{at}: give Codes or Phrases (a rule that matches every finding is a mistake)");
            }

            if (!double.IsFinite(rule.MinConfidence) || rule.MinConfidence is < 0 or > 1)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}:MinConfidence {rule.MinConfidence} must be between 0 and 1"));
            }
        }
    }
}
