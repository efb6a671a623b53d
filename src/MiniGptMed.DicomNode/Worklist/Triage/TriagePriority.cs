namespace MiniGptMed.DicomNode.Worklist.Triage;

/// <summary>
/// How soon a study should be read. Stat, urgent and routine are the reading priorities the RIS knows (FHIR
/// request-priority, HL7 v2 OBR-27 / TQ1-9); failed is the node's own: the model did not look at the study, which is
/// never the same as "nothing found".
/// </summary>
public enum TriagePriority
{
    Stat,
    Urgent,
    Failed,
    Routine,
}

public static class TriagePriorities
{
    /// <summary>Worklist order: stat, urgent, then failed (no reassurance from the model), then routine.</summary>
    public static int Rank(this TriagePriority priority) => priority switch
    {
        TriagePriority.Stat => 0,
        TriagePriority.Urgent => 1,
        TriagePriority.Failed => 2,
        _ => 3,
    };

    public static string ToText(this TriagePriority priority) => priority switch
    {
        TriagePriority.Stat => "stat",
        TriagePriority.Urgent => "urgent",
        TriagePriority.Failed => "failed",
        _ => "routine",
    };

    public static bool TryParse(string? text, out TriagePriority priority)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "stat":
                priority = TriagePriority.Stat;
                return true;
            case "urgent":
                priority = TriagePriority.Urgent;
                return true;
            case "routine":
                priority = TriagePriority.Routine;
                return true;
            case "failed":
                priority = TriagePriority.Failed;
                return true;
            default:
                priority = TriagePriority.Routine;
                return false;
        }
    }
}
