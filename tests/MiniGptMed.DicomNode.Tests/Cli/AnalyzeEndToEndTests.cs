using System.Text.Json;
using MiniGptMed.DicomNode.Cli;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.Cli;

/// <summary><c>analyze</c> with the bundled small model on each of the issue's sources, its output checked by dciodvfy.</summary>
public sealed class AnalyzeEndToEndTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public static TheoryData<string> Sources => [.. Dicom.Tests.Support.ResultsInputs.Names];

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Analyze_WritesAnSrScAndPresentationState_ThatDciodvfyAccepts(string source)
    {
        var inputs = await Dicom.Tests.Support.ResultsInputs.GetAsync();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await CommandLine.RunAsync(
            ["analyze", inputs[source], "--task", "detection", "--prompt", "nodule", "--task", "report", "--slices", "all", "--json",
             "--out", _dir["out"], "--model", TestPaths.SmallModel, "--provider", "cpu"],
            stdout, stderr);

        Assert.True(code == 0, stderr.ToString());
        var objects = JsonDocument.Parse(stdout.ToString()).RootElement.GetProperty("objects").EnumerateArray().ToList();
        Assert.Equal(["SR", "SC", "PR"], objects.Select(o => o.GetProperty("kind").GetString()));
        Assert.Equal(objects.Select(o => Path.GetFileName(o.GetProperty("path").GetString())).Order(StringComparer.Ordinal),
            Directory.GetFiles(_dir["out"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var o in objects)
        {
            var result = await ExternalProcess.RunAsync("dciodvfy", [o.GetProperty("path").GetString()!]);
            Assert.False(result.Output.Split('\n').Any(l => l.StartsWith("Error", StringComparison.Ordinal)), $"{source} {o.GetProperty("kind")}:\n{result.Output}");
        }
    }

    public void Dispose() => _dir.Dispose();
}
