using System.Text.Json;
using MiniGptMed.DicomNode.Cli;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.Validation;

/// <summary><c>minigptmed evaluate</c> on the phantom set, through the node's analysis path, with models/phantom.</summary>
public sealed class EvaluateCommandTests(PhantomSetFixture set) : IClassFixture<PhantomSetFixture>
{
    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(["evaluate", .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Evaluate_PhantomModel_MatchesTheRequiredShareOfLesions_ThroughEveryGeometryCase()
    {
        using var output = new TempDirectory();
        var (code, stdout, stderr) = await RunAsync(set.Directory, "--labels", set.Labels, "--model", PhantomSetFixture.Model,
            "--provider", "cpu", "--json", "--out", output.Path);
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var detection = json.RootElement.GetProperty("tasks").GetProperty("detection");
        Assert.Equal(60, detection.GetProperty("images").GetInt32());
        var share = detection.GetProperty("matchedShare").GetDouble();
        Assert.True(share >= PhantomSetFixture.RequiredMatchedShare, $"detection matched {share:0.000} of the lesions at IoU >= 0.5:\n{stdout}");
        var groups = json.RootElement.GetProperty("groups");
        Assert.Equal(7, groups.EnumerateObject().Count());
        foreach (var group in groups.EnumerateObject())
        {
            Assert.True(group.Value.GetProperty("labelled").GetInt32() > 0, $"{group.Name} has no lesion");
            Assert.True(group.Value.GetProperty("matchedShare").GetDouble() >= PhantomSetFixture.RequiredGroupShare, $"{group.Name}: {group.Value}");
        }

        // One CSV row per labelled image (plus the header), and a readable SC per image with a miss.
        var rows = await File.ReadAllLinesAsync(Path.Combine(output.Path, "evaluation.csv"));
        Assert.Equal(61, rows.Length);
        var missed = json.RootElement.GetProperty("missedImages").GetInt32();
        var misses = Directory.Exists(output["misses"]) ? Directory.GetFiles(output["misses"]) : [];
        Assert.Equal(missed, misses.Length);
    }

    [Fact]
    public async Task Evaluate_UnknownSopInstanceUid_ExitsOneNamingTheEntry()
    {
        using var folder = new TempDirectory();
        var labels = await File.ReadAllTextAsync(set.Labels);
        using var doc = JsonDocument.Parse(labels);
        var uid = doc.RootElement.GetProperty("images")[3].GetProperty("sopInstanceUid").GetString()!;
        await File.WriteAllTextAsync(folder["labels.json"], labels.Replace(uid, "1.2.3.999", StringComparison.Ordinal));
        var (code, _, stderr) = await RunAsync(set.Directory, "--labels", folder["labels.json"], "--model", PhantomSetFixture.Model, "--provider", "cpu");
        Assert.Equal(1, code);
        Assert.Contains("images[3] (SOP Instance UID 1.2.3.999, frame 1): unknown SOP Instance UID", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_BoxOutsideTheImage_ExitsOneNamingTheEntryAndTheMatrix()
    {
        using var folder = new TempDirectory();
        var root = JsonDocument.Parse(await File.ReadAllTextAsync(set.Labels)).RootElement;
        var images = root.GetProperty("images").EnumerateArray().ToList();
        var first = images[0];
        var uid = first.GetProperty("sopInstanceUid").GetString()!;
        var bad = $$"""{ "finding": "lesion", "images": [ { "sopInstanceUid": "{{uid}}", "boxes": [[10, 10, 5000, 40]] } ] }""";
        await File.WriteAllTextAsync(folder["labels.json"], bad);
        var (code, _, stderr) = await RunAsync(set.Directory, "--labels", folder["labels.json"], "--model", PhantomSetFixture.Model, "--provider", "cpu");
        Assert.Equal(1, code);
        Assert.Contains($"images[0] (SOP Instance UID {uid}, frame 1): box 1 [10, 10, 5000, 40] reaches outside the 500x600 image", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_MalformedLabels_ExitsOneWithTheLine()
    {
        using var folder = new TempDirectory();
        await File.WriteAllTextAsync(folder["labels.json"], "{ \"finding\": \"lesion\",\n \"images\": [ { ] }");
        var (code, stdout, stderr) = await RunAsync(set.Directory, "--labels", folder["labels.json"], "--model", PhantomSetFixture.Model);
        Assert.Equal(1, code);
        Assert.Contains("labels.json: not valid JSON at line 2", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Evaluate_WithoutLabels_IsAUsageError()
    {
        var (code, _, stderr) = await RunAsync(set.Directory);
        Assert.Equal(2, code);
        Assert.Contains("Option '--labels' is required.", stderr, StringComparison.Ordinal);
        Assert.Contains("usage: minigptmed evaluate DIR", stderr, StringComparison.Ordinal);
    }
}
