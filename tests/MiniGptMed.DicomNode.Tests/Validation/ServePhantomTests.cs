using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.DicomNode.Assembly;
using MiniGptMed.DicomNode.Cli;
using MiniGptMed.DicomNode.Tests.EndToEnd;
using MiniGptMed.DicomNode.Validation;

namespace MiniGptMed.DicomNode.Tests.Validation;

/// <summary>
/// Issue 13, through the node itself: the labelled phantom studies sent by DCMTK's storescu to <c>serve</c> running
/// models/phantom, the results exported to a folder destination, and the SR's SCOORD rectangles read back with pydicom.
/// They must land on the planted lesions as often as <c>evaluate</c> requires, and be the very boxes <c>evaluate</c>
/// finds for the same images: reception, assembly, the rules, the job queue, the SR writer and the export add nothing
/// to and lose nothing of what the shared analysis path answered.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class ServePhantomTests(PhantomSetFixture set) : IClassFixture<PhantomSetFixture>, IDisposable
{
    // The SR stores coordinates as FL (float32: 0.0002 pixel at 3000) and the CSV with two decimals (0.005).
    private const double Rounding = 0.01;

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task PhantomStudies_SentToServe_GetSrRectanglesOnThePlantedLesions_EqualToEvaluatesBoxes()
    {
        var labels = LabelSetReader.Read(set.Labels);
        var files = Directory.GetFiles(set.Directory, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var studies = files.Select(Path.GetDirectoryName).Distinct().Count(); // one study per geometry case
        Assert.Equal(labels.Images.Count, files.Count);

        await using var sandbox = new NodeSandbox(Configuration(_dir["pacs"]), PhantomSetFixture.Model);
        var node = await sandbox.StartAsync();
        // The compressed copies go as stored: storescu proposes one compressed transfer syntax per run (-xv JPEG 2000
        // lossless, -xs JPEG Lossless SV1, each with the uncompressed ones), so the JPEG 2000 study goes on its own.
        var jpeg2000 = files.Where(f => Part10Source.Probe(f).TransferSyntax.Uid == "1.2.840.10008.1.2.4.90").ToList();
        Assert.NotEmpty(jpeg2000);
        foreach (var (proposal, batch) in new[] { ("-xv", jpeg2000), ("-xs", files.Except(jpeg2000).ToList()) })
        {
            var sent = await ExternalProcess.RunAsync("storescu",
                ["-R", proposal, "-aet", "MODALITY", "-aec", "MINIGPTMED", "127.0.0.1", node.Port.ToString(CultureInfo.InvariantCulture), .. batch], TimeSpan.FromMinutes(2));
            Assert.True(sent.ExitCode == 0 && !sent.Output.Contains("Failed", StringComparison.Ordinal), sent.Output);
        }

        // Each study's results are moved into the folder destination whole (FolderExporter), so a present SR is complete.
        var reports = await Eventually.WaitAsync(
            () => Task.FromResult<List<string>?>(SrFiles() is { Count: var n } found && n == studies ? found : null),
            TimeSpan.FromSeconds(120), () => $"{studies} SRs in the folder destination, found {SrFiles().Count}\n{node.Log}", pollMilliseconds: 500);

        var served = await SrRectanglesAsync(reports);
        var evaluated = await EvaluateAsync();

        int labelled = 0, matched = 0;
        var byGroup = new Dictionary<string, (int Labelled, int Matched)>(StringComparer.Ordinal);
        var differences = new List<string>();
        foreach (var label in labels.Images)
        {
            Assert.True(served.Images.Contains(label.SopInstanceUid), $"{label.Name} is not among the SRs' analysed images");
            var boxes = served.Boxes.TryGetValue(label.SopInstanceUid, out var b) ? b : [];
            var match = BoxMatching.Match(label.Boxes, boxes);
            labelled += label.Boxes.Count;
            matched += match.Matched;
            var group = byGroup.GetValueOrDefault(label.Group!);
            byGroup[label.Group!] = (group.Labelled + label.Boxes.Count, group.Matched + match.Matched);
            if (!SameBoxes(boxes, evaluated[label.SopInstanceUid]))
            {
                differences.Add($"{label.Name}: serve {Show(boxes)}, evaluate {Show(evaluated[label.SopInstanceUid])}");
            }
        }

        Assert.True(differences.Count == 0, $"serve's SR boxes differ from evaluate's:\n{string.Join('\n', differences)}");
        var share = (double)matched / labelled;
        Assert.True(share >= PhantomSetFixture.RequiredMatchedShare, $"the SRs' rectangles matched {matched}/{labelled} = {share:0.000} of the lesions at IoU >= 0.5");
        Assert.Equal(7, byGroup.Count);
        foreach (var (group, counts) in byGroup)
        {
            Assert.True(counts.Labelled > 0 && (double)counts.Matched / counts.Labelled >= PhantomSetFixture.RequiredGroupShare,
                $"{group}: {counts.Matched}/{counts.Labelled} lesions matched");
        }
    }

    /// <summary>
    /// The node's default rules, adjusted to the phantom set: each matches as by default (modality, body part) and keeps
    /// its window (radiographs: the data set's VOI; CT: lung, which is also what <c>evaluate</c> uses by default), but
    /// asks <c>[detection] lesion</c> on every slice (labels name frames). Results go to a folder destination.
    /// </summary>
    private static JsonObject Configuration(string destination)
    {
        var configuration = NodeProcess.Configuration(stableSeconds: 2, destination: null);
        var rules = new JsonArray();
        foreach (var rule in AnalysisRulesOptions.Defaults)
        {
            rules.Add(new JsonObject
            {
                ["Name"] = rule.Name,
                ["Modalities"] = new JsonArray([.. rule.Modalities.Select(m => JsonValue.Create(m))]),
                ["BodyParts"] = new JsonArray([.. rule.BodyParts.Select(p => JsonValue.Create(p))]),
                ["Tasks"] = new JsonArray(new JsonObject { ["Task"] = "detection", ["Prompt"] = "lesion" }),
                ["Window"] = rule.Window,
                ["Slices"] = "all",
                ["MaxImages"] = 16,
            });
        }

        configuration["AnalysisRules"] = new JsonObject { ["Rules"] = rules };
        configuration["Inference"] = new JsonObject { ["ExecutionProvider"] = "Cpu" };
        configuration["Export"] = new JsonObject
        {
            ["Destinations"] = new JsonArray(new JsonObject { ["Name"] = "folder", ["Type"] = "Folder", ["Path"] = destination }),
        };
        return configuration;
    }

    private List<string> SrFiles()
    {
        var root = Path.Combine(_dir["pacs"], "results");
        return Directory.Exists(root)
            ? [.. Directory.GetDirectories(root).Where(d => !Path.GetFileName(d).StartsWith('.')).SelectMany(d => Directory.GetFiles(d, "SR_*.dcm"))]
            : [];
    }

    /// <summary>pydicom's reading of the SRs (Support/results_probe.py): each SCOORD rectangle by the image it is on.</summary>
    private static async Task<(HashSet<string> Images, Dictionary<string, List<PixelRectangle>> Boxes)> SrRectanglesAsync(IReadOnlyList<string> reports)
    {
        var probe = await ExternalProcess.RunAsync(TestPaths.Python, [Path.Combine(AppContext.BaseDirectory, "Support", "results_probe.py"), .. reports]);
        Assert.True(probe.ExitCode == 0, probe.StandardError);
        using var json = JsonDocument.Parse(probe.StandardOutput);
        var images = new HashSet<string>(StringComparer.Ordinal);
        var boxes = new Dictionary<string, List<PixelRectangle>>(StringComparer.Ordinal);
        foreach (var sr in json.RootElement.EnumerateObject())
        {
            images.UnionWith(sr.Value.GetProperty("images").EnumerateArray().Select(i => i.GetString()!));
            foreach (var region in sr.Value.GetProperty("regions").EnumerateArray())
            {
                // A rectangle is written as a closed 5-point POLYLINE (ReportComposer): its extent is the box.
                Assert.Equal("POLYLINE", region.GetProperty("type").GetString());
                var data = region.GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToList();
                var xs = data.Where((_, i) => i % 2 == 0).ToList();
                var ys = data.Where((_, i) => i % 2 == 1).ToList();
                var sop = region.GetProperty("sop").GetString()!;
                if (!boxes.TryGetValue(sop, out var list))
                {
                    boxes[sop] = list = [];
                }

                list.Add(new PixelRectangle(xs.Min(), ys.Min(), xs.Max(), ys.Max()));
            }
        }

        return (images, boxes);
    }

    /// <summary><c>evaluate --tasks detection --json --out DIR</c> on the same set: each image's predicted boxes from evaluation.csv.</summary>
    private async Task<Dictionary<string, List<PixelRectangle>>> EvaluateAsync()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(["evaluate", set.Directory, "--labels", set.Labels, "--model", PhantomSetFixture.Model, "--provider", "cpu",
            "--tasks", "detection", "--json", "--out", _dir["evaluation"]], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        var rows = Csv(await File.ReadAllTextAsync(Path.Combine(_dir["evaluation"], "evaluation.csv")));
        var header = rows[0];
        int sop = header.IndexOf("sop_instance_uid"), predicted = header.IndexOf("detection_predicted");
        Assert.True(sop >= 0 && predicted >= 0, string.Join(',', header));
        return rows.Skip(1).ToDictionary(r => r[sop], r => BoxText().Matches(r[predicted])
            .Select(m => m.Groups[1].Value.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .Select(v => new PixelRectangle(v[0], v[1], v[2], v[3])).ToList(), StringComparer.Ordinal);
    }

    private static bool SameBoxes(List<PixelRectangle> a, List<PixelRectangle> b) =>
        a.Count == b.Count && Sorted(a).Zip(Sorted(b)).All(p =>
            Math.Abs(p.First.X1 - p.Second.X1) <= Rounding && Math.Abs(p.First.Y1 - p.Second.Y1) <= Rounding
            && Math.Abs(p.First.X2 - p.Second.X2) <= Rounding && Math.Abs(p.First.Y2 - p.Second.Y2) <= Rounding);

    private static IEnumerable<PixelRectangle> Sorted(List<PixelRectangle> boxes) => boxes.OrderBy(r => Math.Round(r.X1)).ThenBy(r => Math.Round(r.Y1));

    private static string Show(List<PixelRectangle> boxes) => boxes.Count == 0 ? "none" : string.Join(' ', boxes.Select(LabelSetReader.Show));

    /// <summary>RFC 4180 records (quoted fields may hold commas, doubled quotes and line breaks).</summary>
    private static List<List<string>> Csv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                row.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                rows.Add(row);
                row = [];
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row);
        }

        return rows;
    }

    [GeneratedRegex(@"\[([^\]]+)\]")]
    private static partial Regex BoxText();

    public void Dispose() => _dir.Dispose();
}
