using System.Globalization;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Tests.Support;
using MiniGptMed.DicomNode.Tests.Audit;

namespace MiniGptMed.DicomNode.Tests.SampleDicom;

/// <summary>
/// The committed sample studies (sample-dicom/, made by tools/make_sample_dicom.py): what
/// <c>minigptmed send localhost 11112 sample-dicom</c> sends must be valid DICOM, match its script, and be what the
/// default rules expect (a chest DX; a chest CT of 40 slices).
/// </summary>
public sealed class SampleDicomTests
{
    private static string Folder => Path.Combine(TestPaths.RepositoryRoot, "sample-dicom");

    private static List<string> Files() => [.. Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task EveryFile_PassesDciodvfy_WithoutAnError()
    {
        var files = Files();
        Assert.Equal(41, files.Count);
        foreach (var file in files)
        {
            var result = await ExternalProcess.RunAsync("dciodvfy", [file], TimeSpan.FromSeconds(60));
            var output = result.StandardOutput + result.StandardError;
            // dciodvfy names the IOD it recognised, then one line per error or warning.
            Assert.Matches("^(DXImageForPresentation|CTImage)", output.TrimStart());
            Assert.DoesNotContain("Error", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheScript_RegeneratesTheCommittedFilesByteForByte()
    {
        var output = Directory.CreateTempSubdirectory("minigptmed-sample-").FullName;
        try
        {
            await ExternalProcess.RunCheckedAsync(TestPaths.Python, [TestPaths.Tool("make_sample_dicom.py"), output], TimeSpan.FromSeconds(120));
            var made = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f)).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(Files().Select(f => Path.GetRelativePath(Folder, f)), made);
            foreach (var relative in made)
            {
                Assert.True(
                    File.ReadAllBytes(Path.Combine(output, relative)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(Folder, relative))),
                    $"{relative} differs from what tools/make_sample_dicom.py makes: run it and commit the files.");
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void TheSamples_AreAChestDxStudyAndA40SliceChestCtSeries_OfAFewMegabytes()
    {
        var files = Files();
        Assert.InRange(files.Sum(f => new FileInfo(f).Length), 1_000_000, 8_000_000);

        var dx = DicomFile.Open(Assert.Single(files, f => f.Contains("chest-dx", StringComparison.Ordinal))).Dataset;
        Assert.Equal("DX", dx.GetString(DicomTags.Modality));
        Assert.Equal("CHEST", dx.GetString(DicomTags.BodyPartExamined));
        Assert.Equal(DicomUid.DigitalXRayImageStorageForPresentation.Value, dx.GetString(DicomTags.SOPClassUID));

        var ct = files.Where(f => f.Contains("chest-ct", StringComparison.Ordinal)).Select(f => DicomFile.Open(f).Dataset).ToList();
        Assert.Equal(40, ct.Count);
        Assert.All(ct, s => Assert.Equal("CHEST", s.GetString(DicomTags.BodyPartExamined)));
        Assert.Single(ct.Select(s => s.GetString(DicomTags.SeriesInstanceUID)).Distinct());
        Assert.NotEqual(dx.GetString(DicomTags.StudyInstanceUID), ct[0].GetString(DicomTags.StudyInstanceUID));
        // PS3.3 C.7.6.2: axial slices, each 5 mm further along z, as thick as they are apart.
        var z = ct.Select(s => double.Parse(s.GetStrings(DicomTags.ImagePositionPatient)[2], CultureInfo.InvariantCulture)).ToList();
        Assert.All(z.Zip(z.Skip(1)), pair => Assert.Equal(-5.0, pair.Second - pair.First, 6));
        Assert.All(ct, s => Assert.Equal(["1", "0", "0", "0", "1", "0"], s.GetStrings(DicomTags.ImageOrientationPatient)));
        Assert.All(ct, s => Assert.Equal("5.0", s.GetString(DicomTags.SliceThickness)));
    }
}
