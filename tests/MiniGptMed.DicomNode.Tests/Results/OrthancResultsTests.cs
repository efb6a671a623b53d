using MiniGptMed.Dicom.Composition;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.DicomNode.Results;
using MiniGptMed.DicomNode.Tests.Support;
using MiniGptMed.Inference.Model;

namespace MiniGptMed.DicomNode.Tests.Results;

/// <summary>A real PACS (Orthanc) takes the results into the source's study, beside the source.</summary>
public sealed class OrthancResultsTests(OrthancServer orthanc) : IClassFixture<OrthancServer>, IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Orthanc_AcceptsTheSrScAndPresentationState_IntoTheSourcesStudy_AsNewSeries()
    {
        var source = SyntheticDicom.CtSeries(_dir["ct"], 3, 64, 48, new(20, 30, 8));
        var analysis = InjectedAnalysis.Create(_dir["ct"], [(new AnalysisTask(MedTask.Detection, "nodule"), "<p>nodule</p> {<20><30><60><70>}")]);
        var written = ResultsWriter.Write(analysis, new ResultsOptions().ToDeviceIdentity(), DateTimeOffset.Now, _dir["out"]);

        var stored = await orthanc.StoreAsync(source);
        Assert.All(stored, o => Assert.True(o.Succeeded, $"{o.Path}: {o.Status:X4} {o.Error}\n{orthanc.Log}"));
        var results = await orthanc.StoreAsync(written.Select(w => w.Path));
        Assert.All(results, o => Assert.True(o.Status == 0, $"{o.Path}: {o.Status:X4} {o.Error}\n{orthanc.Log}"));

        var studies = await orthanc.GetJsonAsync("studies?expand");
        var study = Assert.Single(studies.EnumerateArray());
        Assert.Equal(analysis.StudyInstanceUid, study.GetProperty("MainDicomTags").GetProperty("StudyInstanceUID").GetString());
        var series = await orthanc.GetJsonAsync($"studies/{study.GetProperty("ID").GetString()}/series");
        var modalities = series.EnumerateArray().Select(s => s.GetProperty("MainDicomTags").GetProperty("Modality").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "CT", "OT", "PR", "SR" }, modalities);
        var uids = series.EnumerateArray().Select(s => s.GetProperty("MainDicomTags").GetProperty("SeriesInstanceUID").GetString()).ToHashSet();
        Assert.All(written, w => Assert.Contains(w.Object.Identity.SeriesInstanceUid, uids));
    }

    public void Dispose() => _dir.Dispose();
}
