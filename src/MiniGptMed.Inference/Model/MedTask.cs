namespace MiniGptMed.Inference.Model;

/// <summary>The six tasks of MiniGPT-Med; each has a tag prefix except report generation (MODEL.md "Prompt").</summary>
public enum MedTask
{
    Report,
    Vqa,
    Detection,
    Grounding,
    Refer,
    Identify,
}

public static class MedTaskExtensions
{
    public static string ToManifestKey(this MedTask task) => task switch
    {
        MedTask.Report => "report",
        MedTask.Vqa => "vqa",
        MedTask.Detection => "detection",
        MedTask.Grounding => "grounding",
        MedTask.Refer => "refer",
        MedTask.Identify => "identify",
        _ => throw new ArgumentOutOfRangeException(nameof(task)),
    };

    public static bool TryParse(string text, out MedTask task)
    {
        foreach (var t in Enum.GetValues<MedTask>())
        {
            if (string.Equals(t.ToManifestKey(), text, StringComparison.OrdinalIgnoreCase))
            {
                task = t;
                return true;
            }
        }

        task = default;
        return false;
    }
}
