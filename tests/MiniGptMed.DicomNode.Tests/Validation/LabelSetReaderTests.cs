using System.Text;
using MiniGptMed.DicomNode.Validation;

namespace MiniGptMed.DicomNode.Tests.Validation;

public sealed class LabelSetReaderTests
{
    private static LabelSet Parse(string json) => LabelSetReader.Parse(Encoding.UTF8.GetBytes(json), "labels.json");

    [Fact]
    public void Parse_AGoodFile_GivesBoxesCountsReportsAndQuestions()
    {
        var set = Parse("""
            { "finding": "lesion", "images": [
              { "sopInstanceUid": "1.2.3", "frame": 2, "boxes": [[10, 20, 30.5, 40]], "count": 1, "group": "ct",
                "report": "one lesion in the right lung .", "vqa": [{ "question": "how many lesions are there ?", "answer": "one" }] },
              { "sopInstanceUid": "1.2.4", "boxes": [] } ] }
            """);
        Assert.Equal("lesion", set.Finding);
        Assert.Equal(2, set.Images.Count);
        Assert.Equal(2, set.Images[0].Frame);
        Assert.Equal(30.5, set.Images[0].Boxes[0].X2);
        Assert.Equal("one", set.Images[0].Vqa[0].Answer);
        Assert.Equal("ct", set.Images[0].Group);
        Assert.Equal(1, set.Images[1].Frame);
        Assert.Empty(set.Images[1].Boxes);
    }

    [Fact]
    public void Parse_MalformedJson_SaysWhereInTheFile()
    {
        var ex = Assert.Throws<LabelException>(() => Parse("{ \"finding\": \"lesion\",\n  \"images\": [ { \"sopInstanceUid\": \"1.2.3\" \"boxes\": [] } ] }"));
        Assert.StartsWith("labels.json: not valid JSON at line 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadEntries_AreAllNamedByIndexAndUid()
    {
        var ex = Assert.Throws<LabelException>(() => Parse("""
            { "finding": "lesion", "images": [
              { "sopInstanceUid": "1.2.3", "boxes": [[30, 20, 10, 40]] },
              { "sopInstanceUid": "1.2.4", "boxes": [[1, 2, 3]] },
              { "sopInstanceUid": "1.2.5", "boxes": [[1, 2, 3, 4], [5, 6, 7, 8]], "count": 1 },
              { "sopInstanceUid": "1.2.6", "boxes": [[-1, 2, 3, 4]] },
              { "boxes": [] },
              { "sopInstanceUid": "1.2.8", "boxes": [] },
              { "sopInstanceUid": "1.2.8", "boxes": [] } ] }
            """));
        Assert.Contains("images[0] (SOP Instance UID 1.2.3, frame 1): box 1 [30, 20, 10, 40] has no area", ex.Message, StringComparison.Ordinal);
        Assert.Contains("images[1] (SOP Instance UID 1.2.4, frame 1): box 1 is not an array of four numbers", ex.Message, StringComparison.Ordinal);
        Assert.Contains("images[2] (SOP Instance UID 1.2.5, frame 1): \"count\" is 1 but 2 boxes are given", ex.Message, StringComparison.Ordinal);
        Assert.Contains("images[3] (SOP Instance UID 1.2.6, frame 1): box 1 [-1, 2, 3, 4] reaches outside the image", ex.Message, StringComparison.Ordinal);
        Assert.Contains("images[4]: \"sopInstanceUid\" is missing", ex.Message, StringComparison.Ordinal);
        Assert.Contains("images[6] (SOP Instance UID 1.2.8, frame 1): the same image as images[5]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("6 problems", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WithoutFindingOrImages_SaysWhichKeyIsMissing()
    {
        var ex = Assert.Throws<LabelException>(() => Parse("{ \"images\": [] }"));
        Assert.Contains("\"finding\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("\"images\" is empty", ex.Message, StringComparison.Ordinal);
        Assert.Contains("top level", Assert.Throws<LabelException>(() => Parse("[1, 2]")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AFileLargerThanTheBound_IsRefusedBeforeReading()
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var f = File.OpenWrite(path))
            {
                f.SetLength(LabelSetReader.MaxFileBytes + 1);
            }

            var ex = Assert.Throws<LabelException>(() => LabelSetReader.Read(path));
            Assert.Contains("more than the", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
