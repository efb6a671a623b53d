using Microsoft.Extensions.Options;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.Imaging.Volumes;
using MiniGptMed.Inference.Model;

namespace MiniGptMed.DicomNode.Assembly;

/// <summary>Checks <see cref="AnalysisRulesOptions"/>; every failure names its configuration key.</summary>
public sealed class AnalysisRulesOptionsValidator : IValidateOptions<AnalysisRulesOptions>
{
    public ValidateOptionsResult Validate(string? name, AnalysisRulesOptions options)
    {
        var errors = new List<string>();
        for (var r = 0; r < options.Rules.Count; r++)
        {
            var rule = options.Rules[r];
            var key = $"{AnalysisRulesOptions.Section}:Rules:{r}";
            if (string.IsNullOrWhiteSpace(rule.Name))
            {
                errors.Add($"{key}:Name is empty; a rule needs a name for the logs and the SR.");
            }

            if (rule.Tasks.Count == 0)
            {
                errors.Add($"{key}:Tasks is empty; a rule that analyses nothing is no rule (leave the group unmatched instead).");
            }

            for (var t = 0; t < rule.Tasks.Count; t++)
            {
                if (!MedTaskExtensions.TryParse(rule.Tasks[t].Task, out _))
                {
                    errors.Add($"{key}:Tasks:{t}:Task '{rule.Tasks[t].Task}' is not report, vqa, detection, grounding, refer or identify.");
                }
            }

            Try(errors, $"{key}:Window", () => WindowPreset.Parse(rule.Window));
            Try(errors, $"{key}:Slices", () => SliceSelection.Parse(rule.Slices));
            if (rule.MaxImages is < 1 or > 1000)
            {
                errors.Add($"{key}:MaxImages is {rule.MaxImages}; it must be between 1 and 1000.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Try(List<string> errors, string key, Func<object> parse)
    {
        try
        {
            _ = parse();
        }
        catch (FormatException ex)
        {
            errors.Add($"{key}: {ex.Message}");
        }
    }
}
