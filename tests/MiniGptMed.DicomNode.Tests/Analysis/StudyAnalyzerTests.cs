using MiniGptMed.Dicom.Imaging.Volumes;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.DicomNode.Tests.Support;
using MiniGptMed.Inference.Model;

namespace MiniGptMed.DicomNode.Tests.Analysis;

public sealed class StudyAnalyzerTests(SmallModelFixture model) : IClassFixture<SmallModelFixture>, IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task EveryImageGetsEveryTask_InBatchesOfTheRunnersSize()
    {
        SyntheticDicom.CtSeries(_dir["ct"], 4, 48, 48, new(30, 14, 7));
        var plan = ImagePlanner.Plan(StudyLoader.Load(_dir["ct"]), SliceSelection.All, null);
        var runner = model.Runner(batchSize: 3);
        AnalysisTask[] tasks = [new(MedTask.Detection, "nodule"), new(MedTask.Report)];

        var analysis = await StudyAnalyzer.AnalyzeAsync(plan, tasks, runner);

        Assert.Equal(4, analysis.Images.Count);
        Assert.All(analysis.Images, i => Assert.Equal(tasks, i.Answers.Select(a => a.Task)));
        // 4 images x 2 tasks = 8 requests in batches of 3.
        Assert.Equal([3, 3, 2], runner.Batches);
    }

    [Fact]
    public async Task DetectionOnABlob_GivesARegionInsideTheSourceImage_OnTheRightFrame()
    {
        SyntheticDicom.MultiFrame(_dir["mf.dcm"], 3, 64, 48, new(20, 30, 8));
        var plan = ImagePlanner.Plan(StudyLoader.Load(_dir["mf.dcm"]), SliceSelection.Parse("every:2"), null);

        var analysis = await StudyAnalyzer.AnalyzeAsync(plan, [new AnalysisTask(MedTask.Detection, "nodule")], model.Runner(16));

        Assert.Equal([1, 3], analysis.Images.Select(i => i.Rendered.Source.FrameNumber));
        foreach (var image in analysis.Images)
        {
            var answer = Assert.Single(image.Answers);
            var region = Assert.Single(answer.Findings.SelectMany(f => f.Regions));
            Assert.True(region.Rectangle.LiesWithin(64, 48), region.Rectangle.ToString());
            // The stretch: model units of the 0..100 square back onto 64 columns and 48 rows.
            Assert.Equal(region.ModelBox.X1 / 100.0 * 64, region.Rectangle.X1, 9);
            Assert.Equal(region.ModelBox.Y2 / 100.0 * 48, region.Rectangle.Y2, 9);
        }
    }

    [Fact]
    public async Task RenderedImage_IsTheWindowedSourceAtItsOwnMatrix()
    {
        SyntheticDicom.CtSeries(_dir["ct"], 1, 40, 30, new(10, 10, 5));
        var plan = ImagePlanner.Plan(StudyLoader.Load(_dir["ct"]), SliceSelection.Middle, null);

        var analysis = await StudyAnalyzer.AnalyzeAsync(plan, [new AnalysisTask(MedTask.Report)], model.Runner(16));

        var rendered = Assert.Single(analysis.Images).Rendered;
        Assert.Equal((40, 30), (rendered.Image.Width, rendered.Image.Height));
        Assert.True(rendered.Image.IsGrey);
        var window = Assert.IsType<AppliedWindow>(rendered.Window);
        Assert.Equal((-600.0, 1500.0), (window.Center, window.Width));
        // Lung window: air (-1000 HU) is dark, the +100 HU blob white.
        Assert.True(rendered.Image.Pixels[(10 * 40) + 10] > 200);
        Assert.InRange(rendered.Image.Pixels[(25 * 40) + 35], 50, 70); // (-1000 + 1350) / 1500 * 255
    }

    public void Dispose() => _dir.Dispose();
}
