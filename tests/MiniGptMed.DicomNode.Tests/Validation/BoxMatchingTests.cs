using MiniGptMed.Dicom.Composition;
using MiniGptMed.DicomNode.Validation;

namespace MiniGptMed.DicomNode.Tests.Validation;

public sealed class BoxMatchingTests
{
    [Fact]
    public void Iou_OfKnownRectangles_IsIntersectionOverUnion()
    {
        // 10x10 squares overlapping in a 5x10 band: 50 / (100 + 100 - 50) = 1/3.
        Assert.Equal(1.0 / 3, BoxMatching.Iou(new PixelRectangle(0, 0, 10, 10), new PixelRectangle(5, 0, 15, 10)), 12);
        // A 5x5 square inside a 10x10 one: 25 / 100.
        Assert.Equal(0.25, BoxMatching.Iou(new PixelRectangle(0, 0, 10, 10), new PixelRectangle(2, 2, 7, 7)), 12);
        // Overlap 5x5 of two 10x10 squares shifted diagonally: 25 / 175 = 1/7.
        Assert.Equal(1.0 / 7, BoxMatching.Iou(new PixelRectangle(0, 0, 10, 10), new PixelRectangle(5, 5, 15, 15)), 12);
        Assert.Equal(1.0, BoxMatching.Iou(new PixelRectangle(1.5, 2.5, 3.5, 4.5), new PixelRectangle(1.5, 2.5, 3.5, 4.5)), 12);
        Assert.Equal(0.0, BoxMatching.Iou(new PixelRectangle(0, 0, 10, 10), new PixelRectangle(10, 0, 20, 10)));
        Assert.Equal(0.0, BoxMatching.Iou(new PixelRectangle(0, 0, 0, 10), new PixelRectangle(0, 0, 0, 10)));
    }

    [Fact]
    public void Match_IsOneToOne_OneBigBoxOverTwoLesionsCountsOnce()
    {
        PixelRectangle[] labelled = [new(0, 0, 10, 10), new(12, 0, 22, 10)];
        PixelRectangle[] predicted = [new(0, 0, 22, 10)];
        var m = BoxMatching.Match(labelled, predicted);
        Assert.Equal(0, m.Matched);
        Assert.Equal(1, m.Labelled.Count(p => p.Predicted == 0));
        Assert.Equal(1, m.FalseBoxes);
    }

    [Fact]
    public void Match_ALesionAnsweredTwice_MatchesOnceAndLeavesOneFalseBox()
    {
        PixelRectangle[] labelled = [new(0, 0, 10, 10)];
        PixelRectangle[] predicted = [new(0, 0, 10, 9), new(0, 0, 10, 10)];
        var m = BoxMatching.Match(labelled, predicted);
        Assert.Equal(1, m.Matched);
        Assert.Equal(1, m.Labelled[0].Predicted); // the exact box wins (IoU 1 over 0.9)
        Assert.Equal(1.0, m.Labelled[0].Iou, 12);
        Assert.Equal(1, m.FalseBoxes);
    }

    [Fact]
    public void Match_PairsHighestIouFirst_NotLabelOrder()
    {
        // Label 0 overlaps both predictions; label 1 only the second. Highest-first gives each label its best partner.
        PixelRectangle[] labelled = [new(0, 0, 10, 10), new(8, 0, 18, 10)];
        PixelRectangle[] predicted = [new(0, 0, 10, 10), new(8, 0, 18, 10)];
        var m = BoxMatching.Match(labelled, predicted);
        Assert.Equal(2, m.Matched);
        Assert.Equal(0, m.FalseBoxes);
        Assert.Equal([0, 1], m.Labelled.Select(p => p.Predicted));
    }

    [Fact]
    public void Match_BelowThreshold_IsPairedButNotMatched()
    {
        var m = BoxMatching.Match([new PixelRectangle(0, 0, 10, 10)], [new PixelRectangle(5, 0, 15, 10)]);
        Assert.Equal(0, m.Matched);
        Assert.Equal(1.0 / 3, m.Labelled[0].Iou, 12);
        Assert.Equal(1, m.FalseBoxes);
    }

    [Fact]
    public void Match_NothingLabelledNothingPredicted_IsClean()
    {
        var m = BoxMatching.Match([], []);
        Assert.Equal(0, m.Matched);
        Assert.Equal(0, m.FalseBoxes);
    }
}
