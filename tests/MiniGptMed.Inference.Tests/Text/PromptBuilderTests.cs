using MiniGptMed.Inference.Model;
using MiniGptMed.Inference.Output;
using MiniGptMed.Inference.Tests.Support;
using MiniGptMed.Inference.Text;

namespace MiniGptMed.Inference.Tests.Text;

[Collection(EngineCollection.Name)]
public sealed class PromptBuilderTests(EngineFixture fixture)
{
    private readonly PromptBuilder _builder = new(fixture.Engine.Manifest, fixture.Engine.Tokenizer);

    [Fact]
    public void Build_EveryGoldenPrompt_GivesTheReferenceSegmentIds()
    {
        foreach (var c in Goldens.SmallModel.Cases)
        {
            Assert.True(MedTaskExtensions.TryParse(c.Task, out var task));
            var box = c.Box is { } b ? $"{{<{b[0]}><{b[1]}><{b[2]}><{b[3]}>}}" : null;
            var tag = fixture.Engine.Manifest.Task(task).Tag;
            var userText = tag.Length == 0 ? c.Instruction : c.Instruction[(tag.Length + 1)..];
            if (box is not null)
            {
                userText = userText.Replace(box, "{box}", StringComparison.Ordinal);
            }

            var prompt = _builder.Build(task, userText, box, 1024);
            Assert.Equal(c.Instruction, prompt.Instruction);
            Assert.Equal(c.SegmentIds[0], prompt.Before);
            Assert.Equal(c.SegmentIds[1], prompt.After);
        }
    }

    [Theory]
    [InlineData(MedTask.Report, null, "Describe this image in detail")]
    [InlineData(MedTask.Detection, "pneumonia", "[detection] pneumonia")]
    [InlineData(MedTask.Refer, "where is tumor ?", "[refer] where is tumor ?")]
    [InlineData(MedTask.Grounding, null, "[grounding] please describe this image in details")]
    [InlineData(MedTask.Vqa, "is the heart enlarged ?", "[vqa] is the heart enlarged ?")]
    public void Instruction_PrefixesTheTaskTag_ReportHasNone(MedTask task, string? text, string expected)
    {
        Assert.Equal(expected, PromptBuilder.Instruction(fixture.Engine.Manifest.Task(task), text, null));
    }

    [Fact]
    public void Identify_CarriesTheBoxInModelUnits()
    {
        var box = PromptBuilder.BoxText(new PixelBox(100, 50, 300, 400), 1000, 500);
        Assert.Equal("{<10><10><30><80>}", box);
        Assert.Equal("[identify] what is it in {<10><10><30><80>}",
            PromptBuilder.Instruction(fixture.Engine.Manifest.Task(MedTask.Identify), null, box));
    }

    [Fact]
    public void BoxText_OutsideTheImage_IsClampedTo0And100()
    {
        Assert.Equal("{<0><0><100><100>}", PromptBuilder.BoxText(new PixelBox(-20, -1, 2000, 900), 1000, 500));
    }

    [Fact]
    public void BoxText_EmptyOrReversedBox_IsRejected()
    {
        Assert.Throws<InvalidRequestException>(() => PromptBuilder.BoxText(new PixelBox(30, 10, 10, 40), 100, 100));
        Assert.Throws<InvalidRequestException>(() => PromptBuilder.BoxText(new PixelBox(10, 10, 10, 40), 100, 100));
    }

    [Fact]
    public void Build_TooLongPrompt_IsRejectedWithTheCount()
    {
        var ex = Assert.Throws<InvalidRequestException>(() => _builder.Build(MedTask.Vqa, string.Join(' ', Enumerable.Repeat("nodule", 400)), null, 64));
        Assert.Contains("limit is 64", ex.Message, StringComparison.Ordinal);
    }
}
