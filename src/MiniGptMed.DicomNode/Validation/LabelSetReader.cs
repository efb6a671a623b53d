using System.Globalization;
using System.Text.Json;
using MiniGptMed.Dicom.Composition;

namespace MiniGptMed.DicomNode.Validation;

/// <summary>
/// Reads a labels file (docs/validation.md "Labels"):
/// <code>
/// { "finding": "lesion",
///   "images": [ { "sopInstanceUid": "1.2.3", "frame": 1, "boxes": [[x1, y1, x2, y2]], "count": 1,
///                 "report": "one lesion in the right lung .", "vqa": [{ "question": "...", "answer": "..." }],
///                 "group": "dx-monochrome1" } ] }
/// </code>
/// Every problem is collected and reported at once, each naming its entry; nothing is evaluated from a bad file.
/// </summary>
internal static class LabelSetReader
{
    /// <summary>A labels file larger than this is refused before it is read (a site's set is far smaller).</summary>
    public const long MaxFileBytes = 64L * 1024 * 1024;

    /// <summary>More problems than this are summarised (a wrong file gives one per entry).</summary>
    private const int MaxProblems = 20;

    /// <exception cref="LabelException">The file is missing, too large, not JSON, or has bad entries.</exception>
    public static LabelSet Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new LabelException($"{path}: no such file");
        }

        if (info.Length > MaxFileBytes)
        {
            throw new LabelException($"{path}: {info.Length} bytes, more than the {MaxFileBytes} a labels file may have");
        }

        return Parse(File.ReadAllBytes(path), path);
    }

    public static LabelSet Parse(ReadOnlySpan<byte> json, string name)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            // System.Text.Json numbers lines and bytes from 0.
            throw new LabelException($"{name}: not valid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {FirstSentence(ex.Message)}");
        }

        using (document)
        {
            var problems = new List<string>();
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new LabelException($"{name}: the top level must be an object with \"finding\" and \"images\"");
            }

            var finding = root.TryGetProperty("finding", out var f) && f.ValueKind == JsonValueKind.String && f.GetString()!.Trim().Length > 0
                ? f.GetString()!.Trim()
                : null;
            if (finding is null)
            {
                problems.Add("\"finding\" (the labelled finding, e.g. \"lesion\") is missing or not a non-empty string");
            }

            var images = new List<ImageLabel>();
            if (!root.TryGetProperty("images", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                problems.Add("\"images\" is missing or not an array");
            }
            else
            {
                var index = 0;
                var seen = new Dictionary<(string, int), int>();
                foreach (var entry in list.EnumerateArray())
                {
                    var image = Entry(entry, index, problems);
                    if (image is not null)
                    {
                        if (seen.TryGetValue((image.SopInstanceUid, image.Frame), out var first))
                        {
                            problems.Add($"{image.Name}: the same image as images[{first}]");
                        }
                        else
                        {
                            seen[(image.SopInstanceUid, image.Frame)] = index;
                            images.Add(image);
                        }
                    }

                    index++;
                }

                if (index == 0)
                {
                    problems.Add("\"images\" is empty: nothing to evaluate");
                }
            }

            if (problems.Count > 0)
            {
                throw new LabelException(Describe(name, problems));
            }

            return new LabelSet(finding!, images);
        }
    }

    /// <summary>"name: N problems:" and one line per problem (at most <see cref="MaxProblems"/>).</summary>
    public static string Describe(string name, IReadOnlyList<string> problems)
    {
        if (problems.Count == 1)
        {
            return $"{name}: {problems[0]}";
        }

        var shown = problems.Take(MaxProblems).Select(p => "  " + p);
        var more = problems.Count > MaxProblems ? [$"  ... and {problems.Count - MaxProblems} more"] : Array.Empty<string>();
        return $"{name}: {problems.Count} problems:{Environment.NewLine}{string.Join(Environment.NewLine, shown.Concat(more))}";
    }

    private static ImageLabel? Entry(JsonElement entry, int index, List<string> problems)
    {
        var at = $"images[{index}]";
        if (entry.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{at}: not an object");
            return null;
        }

        var uid = entry.TryGetProperty("sopInstanceUid", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()!.Trim() : null;
        if (string.IsNullOrEmpty(uid))
        {
            problems.Add($"{at}: \"sopInstanceUid\" is missing or empty");
            return null;
        }

        var frame = 1;
        if (entry.TryGetProperty("frame", out var fr) && !(fr.ValueKind == JsonValueKind.Number && fr.TryGetInt32(out frame) && frame >= 1))
        {
            problems.Add($"{at} (SOP Instance UID {uid}): \"frame\" must be a frame number from 1");
            return null;
        }

        var name = $"{at} (SOP Instance UID {uid}, frame {frame})";
        var before = problems.Count;
        var boxes = new List<PixelRectangle>();
        if (!entry.TryGetProperty("boxes", out var b) || b.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{name}: \"boxes\" is missing or not an array (an image without findings has [])");
        }
        else
        {
            var k = 0;
            foreach (var box in b.EnumerateArray())
            {
                k++;
                if (Box(box) is { } rect)
                {
                    if (rect.X2 <= rect.X1 || rect.Y2 <= rect.Y1)
                    {
                        problems.Add($"{name}: box {k} {Show(rect)} has no area (x2 must exceed x1 and y2 exceed y1)");
                    }
                    else if (rect.X1 < 0 || rect.Y1 < 0)
                    {
                        problems.Add($"{name}: box {k} {Show(rect)} reaches outside the image (negative coordinate)");
                    }
                    else
                    {
                        boxes.Add(rect);
                    }
                }
                else
                {
                    problems.Add($"{name}: box {k} is not an array of four numbers [x1, y1, x2, y2]");
                }
            }
        }

        if (entry.TryGetProperty("count", out var c))
        {
            if (!(c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var count) && count >= 0))
            {
                problems.Add($"{name}: \"count\" must be a whole number from 0");
            }
            else if (problems.Count == before && count != boxes.Count)
            {
                problems.Add($"{name}: \"count\" is {count} but {boxes.Count} boxes are given");
            }
        }

        string? report = null;
        if (entry.TryGetProperty("report", out var r))
        {
            report = r.ValueKind == JsonValueKind.String && r.GetString()!.Trim().Length > 0 ? r.GetString()!.Trim() : null;
            if (report is null)
            {
                problems.Add($"{name}: \"report\" must be a non-empty string");
            }
        }

        var vqa = new List<VqaLabel>();
        if (entry.TryGetProperty("vqa", out var v))
        {
            if (v.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"{name}: \"vqa\" must be an array of {{\"question\", \"answer\"}}");
            }
            else
            {
                var k = 0;
                foreach (var qa in v.EnumerateArray())
                {
                    k++;
                    var q = qa.ValueKind == JsonValueKind.Object && qa.TryGetProperty("question", out var qe) && qe.ValueKind == JsonValueKind.String ? qe.GetString()!.Trim() : "";
                    var a = qa.ValueKind == JsonValueKind.Object && qa.TryGetProperty("answer", out var ae) && ae.ValueKind == JsonValueKind.String ? ae.GetString()!.Trim() : "";
                    if (q.Length == 0 || a.Length == 0)
                    {
                        problems.Add($"{name}: vqa {k} needs a non-empty \"question\" and \"answer\"");
                    }
                    else
                    {
                        vqa.Add(new VqaLabel(q, a));
                    }
                }
            }
        }

        var group = entry.TryGetProperty("group", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString()!.Trim() : null;
        return problems.Count > before ? null : new ImageLabel(index, uid, frame, boxes, report, vqa, string.IsNullOrEmpty(group) ? null : group);
    }

    private static PixelRectangle? Box(JsonElement box)
    {
        if (box.ValueKind != JsonValueKind.Array || box.GetArrayLength() != 4)
        {
            return null;
        }

        var v = new double[4];
        var i = 0;
        foreach (var e in box.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out v[i]) || !double.IsFinite(v[i]))
            {
                return null;
            }

            i++;
        }

        return new PixelRectangle(v[0], v[1], v[2], v[3]);
    }

    internal static string Show(PixelRectangle r) =>
        string.Create(CultureInfo.InvariantCulture, $"[{r.X1:0.##}, {r.Y1:0.##}, {r.X2:0.##}, {r.Y2:0.##}]");

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
