using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Inference;
using MiniGptMed.Inference.Output;

namespace MiniGptMed.DicomNode.Analysis;

/// <summary>
/// From the model's answer to regions on the source image. MODEL.md "Output": the image was stretched to the model's
/// square, so x = v/100 * Columns and y = v/100 * Rows, in the PS3.3 C.18.6.1.2 pixel coordinates PixelRectangle
/// uses (0,0 the top-left corner of the top-left pixel). A box that reaches outside the image is clipped to it and a
/// note says so; a box with nothing left inside (or no area) gives no region, and a note says so too: the finding's
/// text stays in the report.
/// </summary>
internal static class BoxMapping
{
    public static PixelRectangle ToSource(NormalizedBox box, int columns, int rows) =>
        new(box.X1 / 100.0 * columns, box.Y1 / 100.0 * rows, box.X2 / 100.0 * columns, box.Y2 / 100.0 * rows);

    /// <summary>The answer of <paramref name="result"/> to <paramref name="task"/> on the image <paramref name="source"/> refers to.</summary>
    public static TaskAnswer Answer(AnalysisTask task, AnalysisResult result, SourceReference source)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(source);
        var notes = new List<string>(result.Output.Problems);
        var findings = new List<ImageFinding>();
        foreach (var finding in result.Output.Findings)
        {
            var regions = new List<LocatedRegion>();
            foreach (var box in finding.Boxes)
            {
                var what = $"box {box} of '{finding.Phrase ?? "(no phrase)"}'";
                var mapped = ToSource(box, source.Columns, source.Rows);
                var clipped = mapped.ClipTo(source.Columns, source.Rows);
                if (clipped.Width <= 0 || clipped.Height <= 0)
                {
                    notes.Add($"{what} has no area inside the {source.Columns}x{source.Rows} image; no region written");
                    continue;
                }

                var wasClipped = clipped != mapped;
                if (wasClipped)
                {
                    notes.Add($"{what} reaches outside the {source.Columns}x{source.Rows} image; clipped to {clipped}");
                }

                regions.Add(new LocatedRegion(box, clipped, wasClipped));
            }

            findings.Add(new ImageFinding(finding.Phrase, regions, finding.Confidence));
        }

        if (task.Task is Inference.Model.MedTask.Detection or Inference.Model.MedTask.Refer or Inference.Model.MedTask.Grounding
            && !findings.Any(f => f.Regions.Count > 0))
        {
            notes.Add("the answer gives no usable box; the text is reported without a region");
        }

        return new TaskAnswer(task, result.Instruction, result.Output.Text, result.RawText, findings, notes, result);
    }
}
