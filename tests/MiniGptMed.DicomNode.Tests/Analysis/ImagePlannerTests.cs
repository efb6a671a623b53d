using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.Imaging.Volumes;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.Analysis;

public sealed class ImagePlannerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void CtSeries_Middle_ChoosesTheMiddleSliceByPositionNotByFileOrInstanceNumber()
    {
        var paths = SyntheticDicom.CtSeries(_dir["ct"], 5, 32, 32, new(16, 16, 5));
        var plan = ImagePlanner.Plan(StudyLoader.Load(_dir["ct"]), SliceSelection.Middle, null);

        var image = Assert.Single(plan.Images);
        // Written in reverse order of position: file ct002 lies at z = 20, the middle of 0..40.
        Assert.Equal(paths[2], image.Instance.Path);
        Assert.Equal(WindowPreset.Lung, image.Window);
    }

    [Fact]
    public void CtSeries_EvenThree_ChoosesFirstMiddleLastInPositionOrder()
    {
        var paths = SyntheticDicom.CtSeries(_dir["ct"], 5, 32, 32, new(16, 16, 5));
        var plan = ImagePlanner.Plan(StudyLoader.Load(_dir["ct"]), SliceSelection.Parse("even:3"), null);

        // Ascending position: ct004 (z 0), ct002 (z 20), ct000 (z 40).
        Assert.Equal([paths[4], paths[2], paths[0]], plan.Images.Select(i => i.Instance.Path));
    }

    [Fact]
    public void HeadCt_DefaultsToTheBrainWindow()
    {
        var path = SyntheticDicom.CtSeries(_dir["ct"], 1, 32, 32, new(16, 16, 5))[0];
        var file = MiniGptMed.Dicom.IO.DicomFile.Open(path);
        file.Dataset.AddOrUpdate(DicomTags.BodyPartExamined, DicomVR.CS, "HEAD");
        file.Save(path);

        var plan = ImagePlanner.Plan(StudyLoader.Load(path), SliceSelection.Middle, null);

        Assert.Equal(WindowPreset.Brain, Assert.Single(plan.Images).Window);
    }

    [Fact]
    public void MultiFrame_EveryTwo_ChoosesFramesOneThreeFive()
    {
        SyntheticDicom.MultiFrame(_dir["mf.dcm"], 5, 24, 24, new(8, 12, 4));
        var plan = ImagePlanner.Plan(StudyLoader.Load(_dir["mf.dcm"]), SliceSelection.Parse("every:2"), null);

        Assert.Equal([1, 3, 5], plan.Images.Select(i => i.Source.FrameNumber));
        Assert.All(plan.Images, i => Assert.Equal(i.FrameIndex + 1, i.Source.FrameNumber));
    }

    [Fact]
    public void Radiographs_AreEachAnalysed_WithTheirOwnWindow_WhateverTheSelection()
    {
        var study = SyntheticDicom.NewUid();
        SyntheticDicom.Radiograph(_dir["dx/a.dcm"], 40, 30, new(10, 10, 4), study);
        SyntheticDicom.Radiograph(_dir["dx/b.dcm"], 40, 30, new(10, 10, 4), study);

        var plan = ImagePlanner.Plan(StudyLoader.Load(_dir["dx"]), SliceSelection.Middle, null);

        Assert.Equal(2, plan.Images.Count);
        Assert.All(plan.Images, i => Assert.Equal(WindowPreset.Dataset, i.Window));
        Assert.All(plan.Images, i => Assert.Equal(new MiniGptMed.Dicom.Imaging.PixelSpacing(0.2, 0.2), i.Source.PixelSpacing));
    }

    [Fact]
    public void Folder_LeavesOutFilesThatAreNotDicomOrHaveNoPixels_AndSaysSo()
    {
        SyntheticDicom.CtSeries(_dir["study"], 3, 16, 16, new(8, 8, 3));
        File.WriteAllText(_dir["study/README.txt"], "not dicom");
        var sr = SyntheticDicom.Header("1.2.840.10008.5.1.4.1.1.88.34", "SR", "1.2.3", "1.2.3.4", "1.2.3.4.5");
        SyntheticDicom.Save(sr, _dir["study/sr.dcm"]);

        var study = StudyLoader.Load(_dir["study"]);

        Assert.Equal(3, study.Instances.Count());
        Assert.Contains(study.Notes, n => n.Contains("README.txt", StringComparison.Ordinal) && n.Contains("not a DICOM file", StringComparison.Ordinal));
        Assert.Contains(study.Notes, n => n.Contains("sr.dcm", StringComparison.Ordinal) && n.Contains("no Pixel Data", StringComparison.Ordinal));
    }

    [Fact]
    public void Folder_WithTwoStudies_IsRejectedNamingAFileOfTheSecond()
    {
        SyntheticDicom.Radiograph(_dir["two/a.dcm"], 16, 16, new(8, 8, 3));
        var second = SyntheticDicom.Radiograph(_dir["two/b.dcm"], 16, 16, new(8, 8, 3));

        var e = Assert.Throws<AnalysisInputException>(() => StudyLoader.Load(_dir["two"]));
        Assert.Contains("one study at a time", e.Message, StringComparison.Ordinal);
        Assert.True(e.Path == second || e.Path == _dir["two/a.dcm"]);
    }

    [Fact]
    public void File_WithoutPixelData_IsRejectedNamingIt()
    {
        var path = SyntheticDicom.Save(SyntheticDicom.Header(SyntheticDicom.CtImageStorage, "CT", "1.2.3", "1.2.3.4", "1.2.3.4.5"), _dir["nopixels.dcm"]);

        var e = Assert.Throws<AnalysisInputException>(() => StudyLoader.Load(path));

        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("Pixel Data", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownPhotometricInterpretation_IsRejectedNamingTheFile()
    {
        var ds = SyntheticDicom.Header(SyntheticDicom.DxImageStorage, "DX", "1.2.3", "1.2.3.4", "1.2.3.4.5");
        SyntheticDicom.SetPixels(ds, 8, 8, new ushort[64], photometric: "HSV");
        var path = SyntheticDicom.Save(ds, _dir["hsv.dcm"]);

        var e = Assert.Throws<AnalysisInputException>(() => ImagePlanner.Plan(StudyLoader.Load(path), SliceSelection.All, null));

        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("HSV", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
