using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Imaging;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.Inference;
using MiniGptMed.Inference.Generation;
using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Output;

namespace MiniGptMed.DicomNode.Tests.Analysis;

public sealed class BoxMappingTests
{
    private static readonly SourceReference Source = new("1.2.840.10008.5.1.4.1.1.1", "1.2.3", 1, Rows: 100, Columns: 200, null);

    [Fact]
    public void Box_IsStretchedBackToTheSourceMatrix_ColumnsForXRowsForY()
    {
        // MODEL.md: x = v/100 * Columns, y = v/100 * Rows.
        var answer = BoxMapping.Answer(new AnalysisTask(MedTask.Detection, "nodule"), Result("<p>nodule</p> {<25><10><75><50>}"), Source);

        var region = Assert.Single(Assert.Single(answer.Findings).Regions);
        Assert.Equal(new PixelRectangle(50, 10, 150, 50), region.Rectangle);
        Assert.False(region.Clipped);
        Assert.Empty(answer.Notes);
    }

    [Fact]
    public void BoxBeyondTheImage_IsClippedAndANoteSaysSo()
    {
        var parsed = new ParsedOutput("x", "nodule", [new Finding("nodule", [new NormalizedBox(90, 80, 120, 110)], [])], []);
        var answer = BoxMapping.Answer(new AnalysisTask(MedTask.Detection, "nodule"), Result(parsed), Source);

        var region = Assert.Single(Assert.Single(answer.Findings).Regions);
        Assert.Equal(new PixelRectangle(180, 80, 200, 100), region.Rectangle);
        Assert.True(region.Clipped);
        Assert.True(region.Rectangle.LiesWithin(Source.Columns, Source.Rows));
        Assert.Contains(answer.Notes, n => n.Contains("clipped", StringComparison.Ordinal));
    }

    [Fact]
    public void ModelValueAbove100_IsClampedByTheParser_AndTheNoteIsCarried()
    {
        var answer = BoxMapping.Answer(new AnalysisTask(MedTask.Detection, "nodule"), Result("<p>nodule</p> {<90><90><120><100>}"), Source);

        Assert.True(Assert.Single(Assert.Single(answer.Findings).Regions).Rectangle.LiesWithin(200, 100));
        Assert.Contains(answer.Notes, n => n.Contains("clamped", StringComparison.Ordinal));
    }

    [Fact]
    public void BoxWithoutArea_GivesNoRegion_TheTextStays()
    {
        var answer = BoxMapping.Answer(new AnalysisTask(MedTask.Detection, "mass"), Result("<p>mass</p> {<10><10><10><40>}"), Source);

        Assert.Equal("mass", answer.Text);
        Assert.Empty(Assert.Single(answer.Findings).Regions);
        Assert.Contains(answer.Notes, n => n.Contains("no area", StringComparison.Ordinal));
    }

    [Fact]
    public void DetectionWithoutAParsableBox_IsNotAnError_TheNoteSaysTheTextHasNoRegion()
    {
        var answer = BoxMapping.Answer(new AnalysisTask(MedTask.Detection, "pneumonia"), Result("<p>pneumonia</p> {<12><30>"), Source);

        Assert.DoesNotContain(answer.Findings, f => f.Regions.Count > 0);
        Assert.Contains(answer.Notes, n => n.Contains("no usable box", StringComparison.Ordinal));
    }

    private static AnalysisResult Result(string raw) => Result(OutputParser.Parse(raw, Source.Columns, Source.Rows));

    private static AnalysisResult Result(ParsedOutput parsed) =>
        new(MedTask.Detection, "[detection] x", [], parsed.RawText, parsed, FinishReason.EndOfSequence, new GenerationTimings(0, 0, 0, 0));
}
