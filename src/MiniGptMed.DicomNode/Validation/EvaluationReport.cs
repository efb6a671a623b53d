using System.Globalization;
using System.Text;
using System.Text.Json;
using MiniGptMed.Inference.Model;

namespace MiniGptMed.DicomNode.Validation;

/// <summary><c>evaluate</c>'s output: the table (text or JSON) and the per-image CSV.</summary>
internal static class EvaluationReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Text(EvaluationSummary s, string model, IReadOnlyList<string> notes)
    {
        var b = new StringBuilder();
        b.Append(Inv, $"model {model}, {s.Images} labelled images").AppendLine();
        if (s.BoxTasks.Count > 0)
        {
            b.AppendLine("task        images  labelled  matched@0.5  share   mean IoU  false boxes/image");
            foreach (var t in s.BoxTasks)
            {
                b.Append(Inv, $"{t.Task.ToManifestKey(),-11} {t.Images,6}  {t.Labelled,8}  {t.Matched,11}  {t.MatchedShare,5:0.000}  {t.MeanIou,8:0.000}  {t.FalseBoxesPerImage,17:0.000}").AppendLine();
            }
        }

        if (s.Groups.Count > 0)
        {
            b.Append(Inv, $"{s.BoxTasks[0].Task.ToManifestKey()} by group:").AppendLine();
            foreach (var g in s.Groups)
            {
                b.Append(Inv, $"  {g.Group,-24} {g.Scores.Images,4} images  {g.Scores.Matched,4}/{g.Scores.Labelled,-4} matched ({g.Scores.MatchedShare:0.000})  mean IoU {g.Scores.MeanIou:0.000}  false boxes {g.Scores.FalseBoxes}").AppendLine();
            }
        }

        if (s.Identify is { } id)
        {
            b.Append(Inv, $"identify    accuracy {id.Accuracy:0.000} ({id.Correct}/{id.Asked} labelled boxes named)").AppendLine();
        }

        if (s.Vqa is { } vqa)
        {
            b.Append(Inv, $"vqa         accuracy {vqa.Accuracy:0.000} ({vqa.Correct}/{vqa.Asked} questions)").AppendLine();
        }

        if (s.Report is { } r)
        {
            b.Append(Inv, $"report      ROUGE-L {r.RougeL:0.000}  BLEU-4 {r.Bleu4:0.000} ({r.Images} reference sentences)").AppendLine();
        }

        b.Append(Inv, $"{s.MissedImages} images with a miss").AppendLine();
        foreach (var note in notes)
        {
            b.Append("note: ").AppendLine(note);
        }

        return b.ToString();
    }

    public static string Json(EvaluationSummary s, string model, IReadOnlyList<string> notes, IReadOnlyList<string> written)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteNumber("images", s.Images);
            w.WriteNumber("missedImages", s.MissedImages);
            w.WriteStartObject("tasks");
            foreach (var t in s.BoxTasks)
            {
                w.WriteStartObject(t.Task.ToManifestKey());
                WriteBox(w, t);
                w.WriteEndObject();
            }

            if (s.Identify is { } id)
            {
                WriteAccuracy(w, "identify", id);
            }

            if (s.Vqa is { } vqa)
            {
                WriteAccuracy(w, "vqa", vqa);
            }

            if (s.Report is { } r)
            {
                w.WriteStartObject("report");
                w.WriteNumber("images", r.Images);
                w.WriteNumber("rougeL", Math.Round(r.RougeL, 6));
                w.WriteNumber("bleu4", Math.Round(r.Bleu4, 6));
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteStartObject("groups");
            foreach (var g in s.Groups)
            {
                w.WriteStartObject(g.Group);
                WriteBox(w, g.Scores);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteStartArray("notes");
            notes.ToList().ForEach(w.WriteStringValue);
            w.WriteEndArray();
            w.WriteStartArray("written");
            written.ToList().ForEach(w.WriteStringValue);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>One row per labelled image (RFC 4180: fields with a comma, quote or line break are quoted).</summary>
    public static void WriteCsv(TextWriter writer, IReadOnlyList<EvaluatedImage> images)
    {
        var boxTasks = images.SelectMany(i => i.Boxes.Select(b => b.Task)).Distinct().Order().ToList();
        var header = new List<string> { "group", "sop_instance_uid", "frame", "file", "columns", "rows", "labelled_boxes" };
        foreach (var t in boxTasks)
        {
            var k = t.ToManifestKey();
            header.AddRange([$"{k}_boxes", $"{k}_matched", $"{k}_mean_iou", $"{k}_false_boxes", $"{k}_predicted", $"{k}_answer"]);
        }

        header.AddRange(["identify_asked", "identify_correct", "vqa_asked", "vqa_correct", "report_rouge_l", "report_bleu4", "report_text", "labelled"]);
        writer.WriteLine(string.Join(',', header));
        foreach (var i in images)
        {
            var row = new List<string>
            {
                i.Label.Group ?? "", i.Label.SopInstanceUid, i.Label.Frame.ToString(Inv), i.Path,
                i.Rendered.Source.Columns.ToString(Inv), i.Rendered.Source.Rows.ToString(Inv), i.Label.Boxes.Count.ToString(Inv),
            };
            foreach (var t in boxTasks)
            {
                var score = i.Boxes.FirstOrDefault(b => b.Task == t);
                row.AddRange(score is null
                    ? ["", "", "", "", "", ""]
                    :
                    [
                        score.Predicted.Count.ToString(Inv), score.Match.Matched.ToString(Inv),
                        (score.Match.Labelled.Count == 0 ? 0 : score.Match.Labelled.Average(p => p.Iou)).ToString("0.0000", Inv),
                        score.Match.FalseBoxes.ToString(Inv), string.Join(' ', score.Predicted.Select(LabelSetReader.Show)), score.RawText,
                    ]);
            }

            row.AddRange(
            [
                i.Identify?.Asked.ToString(Inv) ?? "", i.Identify?.Correct.ToString(Inv) ?? "",
                i.Vqa?.Asked.ToString(Inv) ?? "", i.Vqa?.Correct.ToString(Inv) ?? "",
                i.Report?.RougeL.ToString("0.0000", Inv) ?? "", i.Report?.Bleu4.ToString("0.0000", Inv) ?? "", i.Report?.Text ?? "",
                string.Join(' ', i.Label.Boxes.Select(LabelSetReader.Show)),
            ]);
            writer.WriteLine(string.Join(',', row.Select(Field)));
        }
    }

    internal static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static void WriteBox(Utf8JsonWriter w, BoxTaskSummary t)
    {
        w.WriteNumber("images", t.Images);
        w.WriteNumber("labelled", t.Labelled);
        w.WriteNumber("matched", t.Matched);
        w.WriteNumber("matchedShare", Math.Round(t.MatchedShare, 6));
        w.WriteNumber("meanIou", Math.Round(t.MeanIou, 6));
        w.WriteNumber("falseBoxes", t.FalseBoxes);
        w.WriteNumber("falseBoxesPerImage", Math.Round(t.FalseBoxesPerImage, 6));
    }

    private static void WriteAccuracy(Utf8JsonWriter w, string name, AccuracySummary a)
    {
        w.WriteStartObject(name);
        w.WriteNumber("asked", a.Asked);
        w.WriteNumber("correct", a.Correct);
        w.WriteNumber("accuracy", Math.Round(a.Accuracy, 6));
        w.WriteEndObject();
    }
}
