using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.DicomNode.Results;
using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Runtime;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>What <c>analyze</c> prints after a DICOM analysis: a summary for people, or JSON for programs.</summary>
internal static class AnalyzeReport
{
    public static async Task WriteTextAsync(TextWriter stdout, StudyAnalysis analysis, IReadOnlyList<WrittenObject> written, ExecutionProviderKind provider)
    {
        var inv = CultureInfo.InvariantCulture;
        var series = analysis.Images.Select(i => i.Rendered.Planned.Series.SeriesInstanceUid).Distinct(StringComparer.Ordinal).Count();
        await stdout.WriteLineAsync(string.Create(inv,
            $"study {analysis.StudyInstanceUid}: {analysis.Images.Count} image(s) of {series} series analysed by {analysis.Model} on {provider}; tasks {string.Join(", ", analysis.Tasks.Select(t => t.Key))}")).ConfigureAwait(false);
        foreach (var image in analysis.Images)
        {
            var r = image.Rendered;
            await stdout.WriteLineAsync(string.Create(inv,
                $"image {r.Planned.Instance.Path} frame {r.Source.FrameNumber} ({r.Source.Columns}x{r.Source.Rows}), {(r.Window is { } w ? w.ToString() : r.VoiNote ?? "colour")}")).ConfigureAwait(false);
            foreach (var answer in image.Answers)
            {
                await stdout.WriteLineAsync($"  {answer.Task.Key}: {answer.Text}").ConfigureAwait(false);
                foreach (var finding in answer.Findings)
                {
                    var code = FindingCodes.For(finding.Phrase);
                    foreach (var region in finding.Regions)
                    {
                        await stdout.WriteLineAsync(string.Create(inv,
                            $"    finding {finding.Phrase ?? "(no phrase)"} {code}: model {region.ModelBox} -> pixels {region.Rectangle}{(region.Clipped ? " (clipped)" : "")}")).ConfigureAwait(false);
                    }
                }
            }
        }

        foreach (var w in written)
        {
            await stdout.WriteLineAsync($"wrote {w.Object.Kind} {w.Object.Identity.SopInstanceUid} (series {w.Object.Identity.SeriesNumber} \"{w.Object.Identity.SeriesDescription}\"): {w.Path}").ConfigureAwait(false);
        }

        foreach (var note in analysis.Notes)
        {
            await stdout.WriteLineAsync($"note: {note}").ConfigureAwait(false);
        }
    }

    // Utf8JsonWriter rather than serialising types: reflection-based System.Text.Json is not available under Native AOT.
    public static string ToJson(string input, StudyAnalysis analysis, IReadOnlyList<WrittenObject> written, ExecutionProviderKind provider)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        // Relaxed escaping: report text in any language and the model's <p> markup stay readable; still valid JSON.
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("input", input);
            w.WriteString("study_instance_uid", analysis.StudyInstanceUid);
            w.WriteStartObject("model");
            w.WriteString("name", analysis.Model.Name);
            w.WriteString("version", analysis.Model.Version);
            w.WriteString("provider", provider.ToString());
            w.WriteEndObject();
            w.WriteStartArray("tasks");
            foreach (var task in analysis.Tasks)
            {
                WriteTask(w, task);
            }

            w.WriteEndArray();
            w.WriteStartArray("images");
            foreach (var image in analysis.Images)
            {
                WriteImage(w, image);
            }

            w.WriteEndArray();
            w.WriteStartArray("objects");
            foreach (var o in written)
            {
                w.WriteStartObject();
                w.WriteString("kind", o.Object.Kind.ToString());
                w.WriteString("path", o.Path);
                w.WriteString("sop_class_uid", o.Object.Identity.SopClassUid);
                w.WriteString("sop_instance_uid", o.Object.Identity.SopInstanceUid);
                w.WriteString("series_instance_uid", o.Object.Identity.SeriesInstanceUid);
                w.WriteNumber("series_number", o.Object.Identity.SeriesNumber);
                w.WriteString("series_description", o.Object.Identity.SeriesDescription);
                if (o.Object.SourceSeriesUid is { } source)
                {
                    w.WriteString("source_series_instance_uid", source);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("notes");
            foreach (var note in analysis.Notes)
            {
                w.WriteStringValue(note);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteTask(Utf8JsonWriter w, AnalysisTask task)
    {
        w.WriteStartObject();
        w.WriteString("task", task.Task.ToManifestKey());
        if (task.Prompt is { } prompt)
        {
            w.WriteString("prompt", prompt);
        }

        w.WriteEndObject();
    }

    private static void WriteImage(Utf8JsonWriter w, AnalysedImage image)
    {
        var r = image.Rendered;
        w.WriteStartObject();
        w.WriteString("path", r.Planned.Instance.Path);
        w.WriteString("series_instance_uid", r.Planned.Series.SeriesInstanceUid);
        w.WriteString("sop_instance_uid", r.Source.SopInstanceUid);
        w.WriteNumber("frame", r.Source.FrameNumber);
        w.WriteNumber("columns", r.Source.Columns);
        w.WriteNumber("rows", r.Source.Rows);
        if (r.Window is { } window)
        {
            w.WriteStartObject("window");
            w.WriteString("explanation", window.Explanation);
            w.WriteNumber("center", window.Center);
            w.WriteNumber("width", window.Width);
            w.WriteString("function", window.Function);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("window");
        }

        w.WriteStartArray("answers");
        foreach (var answer in image.Answers)
        {
            w.WriteStartObject();
            w.WriteString("task", answer.Task.Task.ToManifestKey());
            if (answer.Task.Prompt is { } prompt)
            {
                w.WriteString("prompt", prompt);
            }

            w.WriteString("instruction", answer.Instruction);
            w.WriteString("text", answer.Text);
            w.WriteString("raw", answer.RawText);
            w.WriteStartArray("findings");
            foreach (var finding in answer.Findings)
            {
                var code = FindingCodes.For(finding.Phrase);
                w.WriteStartObject();
                w.WriteString("phrase", finding.Phrase);
                w.WriteStartObject("code");
                w.WriteString("value", code.Value);
                w.WriteString("scheme", code.Scheme);
                w.WriteString("meaning", code.Meaning);
                w.WriteEndObject();
                w.WriteStartArray("boxes");
                foreach (var region in finding.Regions)
                {
                    w.WriteStartObject();
                    w.WriteStartArray("model");
                    w.WriteNumberValue(region.ModelBox.X1);
                    w.WriteNumberValue(region.ModelBox.Y1);
                    w.WriteNumberValue(region.ModelBox.X2);
                    w.WriteNumberValue(region.ModelBox.Y2);
                    w.WriteEndArray();
                    w.WriteStartArray("pixels");
                    w.WriteNumberValue(Math.Round(region.Rectangle.X1, 3));
                    w.WriteNumberValue(Math.Round(region.Rectangle.Y1, 3));
                    w.WriteNumberValue(Math.Round(region.Rectangle.X2, 3));
                    w.WriteNumberValue(Math.Round(region.Rectangle.Y2, 3));
                    w.WriteEndArray();
                    w.WriteBoolean("clipped", region.Clipped);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("notes");
            foreach (var note in answer.Notes)
            {
                w.WriteStringValue(note);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
