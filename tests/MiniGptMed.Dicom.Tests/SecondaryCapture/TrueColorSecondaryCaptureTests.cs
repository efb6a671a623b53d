using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.SecondaryCapture;
using MiniGptMed.Dicom.Tests.Composition;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.SecondaryCapture;

public sealed class TrueColorSecondaryCaptureTests : IDisposable
{
    private static readonly DateTimeOffset Created = new(2026, 2, 2, 2, 2, 2, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(DerivedObjectSources.AllKinds), MemberType = typeof(DerivedObjectSources))]
    public async Task Build_FromEachKindOfOriginal_DciodvfyReportsNoErrors(DerivedObjectSources.Kind kind)
    {
        var path = Write(kind, Created);

        var report = await Dciodvfy.CheckAsync(path);

        Assert.True(report.Errors.Count == 0, report.Text);
        Assert.True(report.WarningsExcept(AcceptedWarnings).Count == 0, report.Text);
    }

    /// <summary>The dciodvfy warnings docs/conformance.md lists as accepted, with its reasons.</summary>
    internal static readonly string[] AcceptedWarnings =
    [
        // General Series (the shared header): Laterality 2C is empty when the original does not say whether the
        // part is paired; dciodvfy errs when it is absent and warns when it is empty.
        "attribute <Laterality>",
    ];

    [Fact]
    public async Task Build_MultiFrameOriginal_OneFramePerSourceFrameInOrderEachReferencingItsFrame()
    {
        var source = DerivedObjectSources.Create(DerivedObjectSources.Kind.MultiFrame);
        var frames = DerivedFrames.Of(source);
        var path = Save(Build(source, frames, Created));

        var oracle = await PydicomOracle.ReadAsync([path]);
        var json = oracle.Json(path);

        Assert.Equal("ok", oracle.Status(path));
        Assert.Equal("3", json.GetProperty("00280008").GetProperty("Value")[0].ToString());
        var sources = json.GetProperty("00082112").GetProperty("Value");
        Assert.Equal(3, sources.GetArrayLength());
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(source.GetString(DicomTags.SOPInstanceUID), sources[i].GetProperty("00081155").GetProperty("Value")[0].GetString());
            Assert.Equal((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), sources[i].GetProperty("00081160").GetProperty("Value")[0].ToString());
        }

        // The pixels, decoded by pydicom, are the frames given, in the order given.
        var decoded = await PixelsByPydicom(path);
        Assert.Equal(frames.SelectMany(f => f.Rgb.ToArray()).ToArray(), decoded);
    }

    [Fact]
    public async Task Build_ThreeSlicesOfOneSeries_OneObjectReferencingEachSliceInOrder()
    {
        var slices = Enumerable.Range(1, 3).Select(i =>
        {
            var slice = DerivedObjectSources.Create(DerivedObjectSources.Kind.CtSigned);
            slice.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, $"2.25.700{i}");
            return slice;
        }).ToList();
        var frames = slices.SelectMany(DerivedFrames.Of).Select((f, i) => f with { Label = $"slice {i + 1}" }).ToList();
        var path = Save(Build(slices[0], frames, Created));

        var report = await Dciodvfy.CheckAsync(path);
        var json = (await PydicomOracle.ReadAsync([path])).Json(path);

        Assert.True(report.Errors.Count == 0, report.Text);
        Assert.True(report.WarningsExcept(AcceptedWarnings).Count == 0, report.Text);
        var references = json.GetProperty("00082112").GetProperty("Value").EnumerateArray().ToList();
        Assert.Equal(["2.25.7001", "2.25.7002", "2.25.7003"], references.Select(r => r.GetProperty("00081155").GetProperty("Value")[0].GetString()));
        Assert.All(references, r => Assert.False(r.TryGetProperty("00081160", out _)));
        Assert.Equal(["slice 1", "slice 2", "slice 3"], json.GetProperty("00182002").GetProperty("Value").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("(0018,2002)", DicomFile.Open(path).Dataset.GetValue<DicomTag>(DicomTags.FrameIncrementPointer).ToString());
    }

    [Fact]
    public async Task Build_SingleFrameOriginal_ReferencesItWithoutAFrameNumberAndCarriesPixelSpacing()
    {
        var source = DerivedObjectSources.Create(DerivedObjectSources.Kind.NonSquare);
        var path = Save(Build(source, DerivedFrames.Of(source), Created));

        var json = (await PydicomOracle.ReadAsync([path])).Json(path);

        var item = json.GetProperty("00082112").GetProperty("Value")[0];
        Assert.False(item.TryGetProperty("00081160", out _));
        Assert.Equal("121322", item.GetProperty("0040A170").GetProperty("Value")[0].GetProperty("00080100").GetProperty("Value")[0].GetString());
        var spacing = json.GetProperty("00280030").GetProperty("Value");
        Assert.Equal((0.8, 0.5), (spacing[0].GetDouble(), spacing[1].GetDouble()));
        Assert.Equal("YES", json.GetProperty("00280301").GetProperty("Value")[0].GetString());
        Assert.Equal(["DERIVED", "SECONDARY"], json.GetProperty("00080008").GetProperty("Value").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("WSD", json.GetProperty("00080064").GetProperty("Value")[0].GetString());
    }

    [Fact]
    public void Build_SameInputsTwice_GivesTheSameBytesAndOnlyCreationTimesDiffer()
    {
        var source = DerivedObjectSources.Create(DerivedObjectSources.Kind.CtSigned);
        var first = File.ReadAllBytes(Save(Build(source, DerivedFrames.Of(source), Created)));
        var again = File.ReadAllBytes(Save(Build(source, DerivedFrames.Of(source), Created)));
        var later = Build(source, DerivedFrames.Of(source), Created.AddHours(3));

        Assert.Equal(first, again);
        var earlier = DicomFile.Open(Save(Build(source, DerivedFrames.Of(source), Created))).Dataset;
        var differing = earlier.Where(e => !later.TryGetElement(e.Tag, out var other) || !SameValue(e, other)).Select(e => e.Tag).ToList();
        Assert.Equal([DicomTags.ContentTime, DicomTags.TimeOfSecondaryCapture], differing);
    }

    [Fact]
    public void Build_FramesOfDifferentMatrices_IsRefusedNamingTheFrame()
    {
        var frames = DerivedFrames.Of(DerivedObjectSources.Create(DerivedObjectSources.Kind.CtSigned))
            .Concat(DerivedFrames.Of(DerivedObjectSources.Create(DerivedObjectSources.Kind.Rgb))).ToList();

        var error = Assert.Throws<ArgumentException>(() => Build(DerivedObjectSources.Create(DerivedObjectSources.Kind.CtSigned), frames, Created));

        Assert.Contains("Frame 2 is 160x120", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_FrameWithTooFewBytes_IsRefused()
    {
        var source = DerivedObjectSources.Create(DerivedObjectSources.Kind.CtSigned);
        var frame = DerivedFrames.Of(source)[0];

        var error = Assert.Throws<ArgumentException>(() => Build(source, [frame with { Rgb = frame.Rgb[..^3] }], Created));

        Assert.Contains("128x128 RGB needs 49152", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_LeavesTheCallersHeaderUntouched()
    {
        var source = DerivedObjectSources.Create(DerivedObjectSources.Kind.CtSigned);
        var header = DerivedHeader.For(source, TrueColorSecondaryCaptureBuilder.SopClassUid, "CT", "2.25.77", "2.25.78");
        var count = header.Count;

        TrueColorSecondaryCaptureBuilder.Build(header, DerivedFrames.Of(source), new SecondaryCaptureOptions(Created, "boxes"));

        Assert.Equal(count, header.Count);
        Assert.False(header.Contains(DicomTags.PixelData));
    }

    private static bool SameValue(DicomElement a, DicomElement b) =>
        a is DicomValueElement va && b is DicomValueElement vb
            ? va.Buffer.GetMemory().Span.SequenceEqual(vb.Buffer.GetMemory().Span)
            : a is DicomSequence && b is DicomSequence;

    private static DicomDataset Build(DicomDataset source, IReadOnlyList<SecondaryCaptureFrame> frames, DateTimeOffset created)
    {
        var header = DerivedHeader.For(source, TrueColorSecondaryCaptureBuilder.SopClassUid, source.GetString(DicomTags.Modality)!, "2.25.9001", "2.25.9002");
        return TrueColorSecondaryCaptureBuilder.Build(header, frames, new SecondaryCaptureOptions(created, "Window of the analysis with AI findings burned in as boxes and labels"));
    }

    private string Write(DerivedObjectSources.Kind kind, DateTimeOffset created)
    {
        var source = DerivedObjectSources.Create(kind);
        return Save(Build(source, DerivedFrames.Of(source), created));
    }

    private string Save(DicomDataset dataset) =>
        DerivedObjectSources.Save(dataset, _temp.File(Guid.NewGuid().ToString("N") + ".dcm"));

    private async Task<byte[]> PixelsByPydicom(string path)
    {
        var output = _temp.File(Guid.NewGuid().ToString("N") + ".raw");
        await ExternalProcess.RunCheckedAsync(TestPaths.Python, ["-c", "import sys, pydicom; open(sys.argv[2], 'wb').write(pydicom.dcmread(sys.argv[1]).pixel_array.astype('uint8').tobytes())", path, output]);
        return await File.ReadAllBytesAsync(output);
    }
}
