using System.Text.Json;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Json;
using MiniGptMed.DicomNode.Cli;

namespace MiniGptMed.DicomNode.Tests.Cli;

public sealed class DumpCommandTests
{
    public static TheoryData<string> CorpusFiles() =>
        [.. TestPaths.CorpusFiles()];

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public async Task DumpJson_CorpusFile_PrintsItsDicomJsonOrAClearError(string path)
    {
        var (code, stdout, stderr) = await RunAsync("--json", path);
        DicomFile? file = null;
        string? expected = null;
        try
        {
            file = DicomFile.Open(path);
            expected = DicomJsonWriter.Write(file.Dataset);
        }
        catch (Exception ex) when (ex is DicomFormatException or FormatException)
        {
            Assert.Equal(1, code);
            Assert.StartsWith($"minigptmed dump: {path}: ", stderr, StringComparison.Ordinal);
            Assert.Empty(stdout);
            return;
        }

        Assert.Equal(0, code);
        using var printed = JsonDocument.Parse(stdout);
        using var reference = JsonDocument.Parse(expected);
        Assert.Equal(reference.RootElement.EnumerateObject().Count(), printed.RootElement.EnumerateObject().Count());
        Assert.Equal(JsonSerializer.Serialize(reference.RootElement), JsonSerializer.Serialize(printed.RootElement));
    }

    [Fact]
    public async Task Dump_Text_ShowsTagsVRsValuesAndKeywords()
    {
        var (code, stdout, _) = await RunAsync(TestPaths.PydicomTestFile("CT_small.dcm"));
        Assert.Equal(0, code);
        Assert.Contains("# Used TransferSyntax: Explicit VR Little Endian", stdout, StringComparison.Ordinal);
        Assert.Matches(@"\(0008,0060\) CS \[CT\] +# +2, 1 Modality", stdout);
        Assert.Matches(@"\(0028,0010\) US \[128\] +# +2, 1 Rows", stdout);
    }

    [Fact]
    public async Task Dump_MissingFile_ExitsOneNamingTheFile()
    {
        var (code, _, stderr) = await RunAsync("/nonexistent/file.dcm");
        Assert.Equal(1, code);
        Assert.Contains("/nonexistent/file.dcm", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dump_UnknownOption_IsAUsageError()
    {
        var (code, stdout, stderr) = await RunAsync("a.dcm", "--xml");
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("--xml", stderr, StringComparison.Ordinal);
        Assert.Contains("usage: minigptmed dump FILE", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(["dump", .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
