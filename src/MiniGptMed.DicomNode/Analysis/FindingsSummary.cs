using System.Globalization;

namespace MiniGptMed.DicomNode.Analysis;

/// <summary>
/// The one-line summary of an analysis kept on the group (<c>studies.findings</c>) and logged: each finding label with
/// the number of regions found for it, most first ("2 findings: nodule x2"), or "no findings". A label is what the SC
/// and the GSPS draw beside the box: the model's phrase, else the rule's prompt, else the task; never patient data.
/// </summary>
internal static class FindingsSummary
{
    public const string None = "no findings";

    // A summary stays one short line in `studies list`, whatever the model answered.
    private const int MaxLabels = 8;

    private const int MaxLabelLength = 40;

    public static string Of(StudyAnalysis analysis) =>
        Of(analysis.Images.SelectMany(i => i.Answers.SelectMany(a => a.Findings
            .Where(f => f.Regions.Count > 0)
            .Select(f => (Label: f.Phrase ?? a.Task.Prompt ?? a.Task.Key, f.Regions.Count)))));

    public static string Of(IEnumerable<(string Label, int Count)> findings)
    {
        var byLabel = findings
            .Select(f => (Label: Clean(f.Label), f.Count))
            .GroupBy(f => f.Label, StringComparer.OrdinalIgnoreCase)
            .Select(g => (Label: g.First().Label, Count: g.Sum(f => f.Count)))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Label, StringComparer.Ordinal)
            .ToList();
        var total = byLabel.Sum(g => g.Count);
        if (total == 0)
        {
            return None;
        }

        var shown = string.Join(", ", byLabel.Take(MaxLabels).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Label} x{g.Count}")));
        var more = byLabel.Count > MaxLabels ? string.Create(CultureInfo.InvariantCulture, $", {byLabel.Count - MaxLabels} more labels") : "";
        return string.Create(CultureInfo.InvariantCulture, $"{total} finding{(total == 1 ? "" : "s")}: {shown}{more}");
    }

    private static string Clean(string label)
    {
        // One line, no separators of the summary's own, bounded.
        var text = string.Join(' ', label.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Replace(',', ';');
        text = text.Length == 0 ? "finding" : text;
        return text.Length <= MaxLabelLength ? text : text[..MaxLabelLength] + "...";
    }
}
