using System.Text.Json;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Json;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.Corpus;

/// <summary>Every file of pydicom's corpus: our DICOM JSON equals pydicom's, or both reject the file.</summary>
public sealed class PydicomCorpusTests(CorpusOracleFixture corpus) : IClassFixture<CorpusOracleFixture>
{
    public static TheoryData<string> Files() => [.. TestPaths.CorpusFiles()];

    [Fact]
    public void Corpus_IsInstalled_WithTheExpectedFiles()
    {
        var names = TestPaths.CorpusFiles().Select(Path.GetFileName).ToHashSet();
        Assert.True(names.Count >= 60, $"only {names.Count} corpus files found under {TestPaths.PydicomData}");
        Assert.Contains("CT_small.dcm", names);
        Assert.Contains("chrH31.dcm", names);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Read_CorpusFile_GivesPydicomsJsonOrRejectsCleanly(string path)
    {
        var name = Path.GetFileName(path);
        var status = corpus.Oracle.Status(path);
        DicomFile file;
        try
        {
            file = DicomFile.Open(path);
        }
        catch (DicomFormatException ex)
        {
            // We may reject what pydicom rejects or only reads with a warning, and the truncated files.
            Assert.True(
                status != "ok" || CorpusOracleFixture.Truncated.ContainsKey(name),
                $"{name}: pydicom reads it cleanly but we reject it: {ex.Message}");
            return;
        }

        Assert.False(CorpusOracleFixture.Truncated.ContainsKey(name), $"{name} is truncated ({CorpusOracleFixture.Truncated.GetValueOrDefault(name)}) but was read");
        string ours;
        try
        {
            ours = DicomJsonWriter.Write(file.Dataset);
        }
        catch (FormatException ex)
        {
            Assert.True(status == "rejected", $"{name}: our JSON writer failed ({ex.Message}) on a file pydicom serialises");
            return;
        }

        Assert.True(status != "rejected", $"{name}: pydicom rejects it ({corpus.Oracle.Error(path)}) but we read it");
        using var actual = JsonDocument.Parse(ours);
        var differences = JsonEquivalence.Differences(corpus.Oracle.Json(path), actual.RootElement, expectedIsBigEndian: !file.TransferSyntax.IsLittleEndian);
        Assert.True(differences.Count == 0, $"{name}: {differences.Count} differences from pydicom:\n" + string.Join("\n", differences.Take(20)));
    }
}
