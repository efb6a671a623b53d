using System.Text.Json;
using MiniGptMed.DicomNode.Cli;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.Cli;

public sealed class AnalyzeDicomCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Dicom_WithoutOut_IsAUsageError()
    {
        var path = SyntheticDicom.Radiograph(_dir["dx.dcm"], 32, 32, new(10, 10, 5));
        var (code, stdout, stderr) = await Run(path, "--task", "report");
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("minigptmed analyze: --out DIR is required for DICOM input.", stderr, StringComparison.Ordinal);
        Assert.Contains("usage: minigptmed analyze INPUT", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Png_WithDicomOptions_IsAUsageError()
    {
        await File.WriteAllBytesAsync(_dir["x.png"], [0x89, 0x50, 0x4E, 0x47]);
        var (code, _, stderr) = await Run(_dir["x.png"], "--task", "report", "--out", _dir["out"]);
        Assert.Equal(2, code);
        Assert.Contains("a PNG/JPEG takes one --task and no --out, --window or --slices", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir["out"]));
    }

    [Theory]
    [InlineData("range:0..10")]
    [InlineData("even:0")]
    [InlineData("some")]
    public async Task BadSlices_AreAUsageError(string slices)
    {
        var (code, _, stderr) = await Run("x.dcm", "--task", "report", "--slices", slices, "--out", _dir["out"]);
        Assert.Equal(2, code);
        Assert.Contains($"--slices '{slices}' is not all, middle, even:N or every:K.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Prompts_BelongToTheTaskBeforeThem_AndCommaListsShareOne()
    {
        var options = new AnalyzeOptions();
        var parse = options.CreateCommand("analyze", "").Parse(["x.dcm", "--prompt", "pneumonia", "--task", "detection,grounding", "--task", "report", "--task", "vqa", "--prompt", "is it big?", "--out", "o"]);

        Assert.Empty(parse.Errors);
        Assert.Equal(["detection:pneumonia", "grounding:pneumonia", "report", "vqa:is it big?"], options.Read(parse).Tasks.Select(t => t.Key));
    }

    [Fact]
    public async Task NoPixelData_ExitsOneNamingTheFile_AndWritesNothing()
    {
        var ds = SyntheticDicom.Header(SyntheticDicom.CtImageStorage, "CT", "1.2.3", "1.2.3.4", "1.2.3.4.5");
        var path = SyntheticDicom.Save(ds, _dir["in/nopixels.dcm"]);

        var (code, _, stderr) = await Run(path, "--task", "detection", "--prompt", "nodule", "--out", _dir["out"], "--model", TestPaths.SmallModel, "--provider", "cpu");

        Assert.Equal(1, code);
        Assert.Contains(path, stderr, StringComparison.Ordinal);
        Assert.Contains("Pixel Data", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir["out"]));
        Assert.Equal(["in"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task UnknownPhotometricInterpretation_ExitsOneNamingTheFile_AndWritesNothing()
    {
        var ds = SyntheticDicom.Header(SyntheticDicom.DxImageStorage, "DX", "1.2.3", "1.2.3.4", "1.2.3.4.5");
        SyntheticDicom.SetPixels(ds, 8, 8, new ushort[64], photometric: "CMYK");
        var path = SyntheticDicom.Save(ds, _dir["in/cmyk.dcm"]);

        var (code, _, stderr) = await Run(path, "--task", "report", "--out", _dir["out"], "--model", TestPaths.SmallModel, "--provider", "cpu");

        Assert.Equal(1, code);
        Assert.Contains(path, stderr, StringComparison.Ordinal);
        Assert.Contains("CMYK", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir["out"]));
    }

    [Fact]
    public async Task NotDicom_ExitsOneNamingTheFile()
    {
        var path = _dir["junk.dcm"];
        await File.WriteAllTextAsync(path, "this is not a DICOM file at all, only text of some length to be read");

        var (code, _, stderr) = await Run(path, "--task", "report", "--out", _dir["out"], "--model", TestPaths.SmallModel, "--provider", "cpu");

        Assert.Equal(1, code);
        Assert.Contains(path, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir["out"]));
    }

    [Fact]
    public async Task Json_GivesFindingsInModelUnitsAndSourcePixels_AndTheObjectsWritten()
    {
        SyntheticDicom.CtSeries(_dir["ct"], 3, 64, 48, new(20, 30, 8));

        var (code, stdout, stderr) = await Run(_dir["ct"], "--task", "detection", "--prompt", "nodule", "--slices", "all", "--json",
            "--out", _dir["out"], "--model", TestPaths.SmallModel, "--provider", "cpu");

        Assert.True(code == 0, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(3, json.GetProperty("images").GetArrayLength());
        foreach (var image in json.GetProperty("images").EnumerateArray())
        {
            Assert.Equal(-600, image.GetProperty("window").GetProperty("center").GetDouble());
            var box = image.GetProperty("answers")[0].GetProperty("findings")[0].GetProperty("boxes")[0];
            var model = box.GetProperty("model").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            var pixels = box.GetProperty("pixels").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.Equal(Math.Round(model[0] / 100.0 * 64, 3), pixels[0], 6);
            Assert.Equal(Math.Round(model[3] / 100.0 * 48, 3), pixels[3], 6);
        }

        foreach (var o in json.GetProperty("objects").EnumerateArray())
        {
            Assert.True(File.Exists(o.GetProperty("path").GetString()));
        }
    }

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(["analyze", .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
