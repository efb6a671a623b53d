using System.Globalization;
using System.Text.Json;
using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.IO;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.DicomNode.Results;
using MiniGptMed.DicomNode.Tests.Support;
using MiniGptMed.Inference.Model;

namespace MiniGptMed.DicomNode.Tests.Results;

/// <summary>
/// The objects written from each source, checked by tools no one here wrote: dicom3tools' dciodvfy, pydicom,
/// DCMTK's dsrdump; geometry compared pixel for pixel between the SR, the presentation state and the SC's pixels.
/// </summary>
public sealed class ResultsValidationTests : IDisposable
{
    private static readonly DeviceIdentity Device = new("2.25.1234", "MINIGPTMED", "MiniGPT-Med DICOM Node", "MiniGPT-Med DICOM Node", "TEST", "1.0");

    private static readonly DateTimeOffset Created = new(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(1));

    private static readonly AnalysisTask Detection = new(MedTask.Detection, "nodule");

    private static readonly AnalysisTask Report = new(MedTask.Report);

    private readonly TempDirectory _dir = new();

    /// <summary>The sources (tools/make_results_inputs.py): DX MONOCHROME2 and MONOCHROME1 3000x2500, signed CT
    /// with rescale and an ISO 2022 IR 87 name, 3-frame grayscale SC, YBR_FULL_422 JPEG ultrasound, 640x400 with
    /// 0.5\0.8 spacing.</summary>
    public static TheoryData<string> Sources => [.. Dicom.Tests.Support.ResultsInputs.Names];

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task IndependentReaders_AcceptEveryObject(string source)
    {
        var written = await Write(source, [(Detection, "<p>nodule</p> {<20><30><60><60>}"), (Report, "there is a nodule in the left lung .")]);

        Assert.Equal([ResultKind.SR, ResultKind.SC, ResultKind.PR], written.Select(w => w.Object.Kind).Distinct());
        foreach (var w in written)
        {
            var result = await ExternalProcess.RunAsync("dciodvfy", [w.Path]);
            var errors = result.Output.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
            Assert.True(errors.Count == 0, $"{source} {w.Object.Kind}:\n{result.Output}");
        }

        var report = written.Single(w => w.Object.Kind == ResultKind.SR).Path;
        var dump = await ExternalProcess.RunAsync("dsrdump", [report]);
        // dsrdump warns (W:) that its VR checker does not know ISO_IR 192; an error would be E:.
        Assert.True(dump.ExitCode == 0 && !dump.StandardError.Contains("E:", StringComparison.Ordinal), dump.Output);
        Assert.Contains("Imaging Measurement Report", dump.StandardOutput, StringComparison.Ordinal);

        var xml = await ExternalProcess.RunAsync("dsr2xml", [report]);
        Assert.True(xml.ExitCode == 0 && xml.StandardOutput.Contains("<report", StringComparison.Ordinal), xml.Output);

        var probe = await Probe(written.Select(w => w.Path));
        Assert.Equal(written.Count, probe.EnumerateObject().Count());

        // DCMTK renders the original through our grayscale presentation state (window, rescale, polarity).
        var gsps = written.Where(w => w.Object.Kind == ResultKind.PR && w.Object.Identity.SopClassUid == "1.2.840.10008.5.1.4.1.1.11.1").ToList();
        foreach (var w in gsps)
        {
            var image = _analysis!.Images.First(i => i.Rendered.Planned.Series.SeriesInstanceUid == w.Object.SourceSeriesUid).Rendered;
            var pgm = _dir["gsps.pgm"];
            var rendered = await ExternalProcess.RunAsync("dcmp2pgm", ["-p", w.Path, "-f", image.Source.FrameNumber.ToString(CultureInfo.InvariantCulture), image.Planned.Instance.Path, pgm]);
            Assert.True(rendered.ExitCode == 0 && File.Exists(pgm) && new FileInfo(pgm).Length > image.Source.Rows * image.Source.Columns, rendered.Output);
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Box_AgreesInTheSrThePresentationStateAndTheBurnedInPixels(string source)
    {
        var written = await Write(source, [(Detection, "<p>nodule</p> {<20><30><60><60>}")]);
        var analysis = _analysis!;
        var probe = await Probe(written.Select(w => w.Path));
        var sr = probe.GetProperty(written.Single(w => w.Object.Kind == ResultKind.SR).Path);
        var pr = probe.GetProperty(written.Single(w => w.Object.Kind == ResultKind.PR).Path);
        var sc = probe.GetProperty(written.Single(w => w.Object.Kind == ResultKind.SC).Path);

        var images = analysis.Images;
        Assert.Equal(images.Count, sr.GetProperty("regions").GetArrayLength());
        for (var i = 0; i < images.Count; i++)
        {
            var source0 = images[i].Rendered.Source;
            var expected = Assert.Single(images[i].Answers[0].Findings.SelectMany(f => f.Regions)).Rectangle;
            Assert.True(expected.LiesWithin(source0.Columns, source0.Rows));
            var polyline = expected.ToClosedPolyline();

            var srRegion = sr.GetProperty("regions")[i];
            Assert.Equal(source0.SopInstanceUid, srRegion.GetProperty("sop").GetString());
            Assert.Equal("POLYLINE", srRegion.GetProperty("type").GetString());
            AssertPoints(polyline, srRegion.GetProperty("data"), source0);

            var prRegion = pr.GetProperty("regions").EnumerateArray().Single(r =>
                r.GetProperty("refs").EnumerateArray().Any(x => x.GetProperty("sop").GetString() == source0.SopInstanceUid
                    && (x.GetProperty("frames").GetArrayLength() == 0 || x.GetProperty("frames").EnumerateArray().Any(f => f.GetInt32() == source0.FrameNumber))));
            Assert.Equal("PIXEL", prRegion.GetProperty("units").GetString());
            AssertPoints(polyline, prRegion.GetProperty("data"), source0);

            // The burned-in outline: the extreme pixels of the overlay colour, as pydicom decodes them.
            var box = sc.GetProperty("boxes")[i];
            Assert.Equal(JsonValueKind.Array, box.ValueKind);
            AssertBurnedIn(expected, box.EnumerateArray().Select(v => v.GetDouble()).ToArray(), source);
        }
    }

    [Fact]
    public async Task SameAnalysisTwice_GivesByteIdenticalObjects_AndAtAnotherTimeOnlyTheDatesDiffer()
    {
        var inputs = await Dicom.Tests.Support.ResultsInputs.GetAsync();
        var analysis = InjectedAnalysis.Create(inputs.CtSigned, [(Detection, "<p>nodule</p> {<20><30><60><60>}"), (Report, "a nodule .")]);
        var first = ResultsWriter.Write(analysis, Device, Created, _dir["a"]);
        var second = ResultsWriter.Write(analysis, Device, Created, _dir["b"]);
        var later = ResultsWriter.Write(analysis, Device, Created.AddHours(5).AddSeconds(1), _dir["c"]);

        Assert.Equal(first.Select(w => Path.GetFileName(w.Path)), second.Select(w => Path.GetFileName(w.Path)));
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(File.ReadAllBytes(first[i].Path), File.ReadAllBytes(second[i].Path));
            Assert.Equal(Path.GetFileName(first[i].Path), Path.GetFileName(later[i].Path));
            Assert.Equal(WithoutDates(first[i].Path), WithoutDates(later[i].Path));
        }
    }

    [Fact]
    public async Task GermanAndChineseText_AndAJapaneseName_SurviveTheRoundTrip()
    {
        const string german = "Rundherd im linken Unterlappen, Ödem, Größe unklar.";
        const string chinese = "左肺下叶见结节，边界清楚。";
        var written = await Write("ct_signed.dcm", [(Report, german), (new AnalysisTask(MedTask.Vqa, "Was sieht man? 有什么？"), chinese)]);

        var probe = await Probe(written.Select(w => w.Path));
        foreach (var w in written)
        {
            var entry = probe.GetProperty(w.Path);
            Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", entry.GetProperty("patient_name").GetString());
        }

        var texts = probe.GetProperty(written.Single(w => w.Object.Kind == ResultKind.SR).Path).GetProperty("texts").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Contains(texts, t => t!.StartsWith(german, StringComparison.Ordinal));
        Assert.Contains(texts, t => t!.StartsWith(chinese, StringComparison.Ordinal));
        Assert.Contains(texts, t => t!.Contains("有什么", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnswerWithoutABox_IsReportedAsTextWithoutARegion()
    {
        var written = await Write("dx_mono2.dcm", [(Detection, "<p>pneumonia</p> {<12><30>")]);

        var sr = (await Probe(written.Select(w => w.Path))).GetProperty(written.Single(w => w.Object.Kind == ResultKind.SR).Path);

        Assert.Equal(0, sr.GetProperty("regions").GetArrayLength());
        Assert.Contains(sr.GetProperty("texts").EnumerateArray(), t => t.GetString()!.Contains("no usable box", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClippedBox_LiesInsideTheImage_AndTheReportSaysItWasClipped()
    {
        var written = await Write("dx_nonsquare.dcm", [(Detection, "<p>mass</p> {<80><80><130><120>}")]);

        var sr = (await Probe(written.Select(w => w.Path))).GetProperty(written.Single(w => w.Object.Kind == ResultKind.SR).Path);

        var data = sr.GetProperty("regions")[0].GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.All(data.Where((_, k) => k % 2 == 0), x => Assert.InRange(x, 0, 640));
        Assert.All(data.Where((_, k) => k % 2 == 1), y => Assert.InRange(y, 0, 400));
        Assert.Contains(sr.GetProperty("texts").EnumerateArray(), t => t.GetString()!.Contains("clamped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FindingConfidence_IsWrittenAsCertaintyOfFindingInPercent_AndPydicomReadsItBack()
    {
        var inputs = await Dicom.Tests.Support.ResultsInputs.GetAsync();
        var plain = InjectedAnalysis.Create(inputs["dx_mono2.dcm"], [(Detection, "<p>nodule</p> {<20><30><60><60>} <p>mass</p> {<5><5><10><10>}")]);
        // The engine's confidences (0..1) as the analysis carries them: 0.87346 and 0.5.
        double[] confidences = [0.87346, 0.5];
        var images = plain.Images.Select(i => i with
        {
            Answers = i.Answers.Select(a => a with { Findings = a.Findings.Select((f, k) => f with { Confidence = confidences[k] }).ToList() }).ToList(),
        }).ToList();
        _analysis = plain with { Images = images };
        var written = ResultsWriter.Write(_analysis, Device, Created, _dir["out"]);

        var sr = (await Probe(written.Select(w => w.Path))).GetProperty(written.Single(w => w.Object.Kind == ResultKind.SR).Path);

        var nums = sr.GetProperty("nums").EnumerateArray().Where(n => n.GetProperty("code").GetString() == "111012").ToList();
        Assert.Equal(2, nums.Count);
        Assert.All(nums, n =>
        {
            Assert.Equal("DCM", n.GetProperty("scheme").GetString());
            Assert.Equal("Certainty of Finding", n.GetProperty("meaning").GetString());
            Assert.Equal("%", n.GetProperty("unit").GetString());
        });
        Assert.Equal([87.35, 50.0], nums.Select(n => n.GetProperty("value").GetDouble()));
        var check = await ExternalProcess.RunAsync("dciodvfy", [written.Single(w => w.Object.Kind == ResultKind.SR).Path]);
        Assert.DoesNotContain(check.Output.Split('\n'), l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    public void Dispose() => _dir.Dispose();

    private StudyAnalysis? _analysis;

    private async Task<IReadOnlyList<WrittenObject>> Write(string source, IReadOnlyList<(AnalysisTask, string)> answers)
    {
        var inputs = await Dicom.Tests.Support.ResultsInputs.GetAsync();
        _analysis = InjectedAnalysis.Create(inputs[source], answers);
        return ResultsWriter.Write(_analysis, Device, Created, _dir["out"]);
    }

    private static async Task<JsonElement> Probe(IEnumerable<string> paths)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Support", "results_probe.py");
        var result = await ExternalProcess.RunAsync(TestPaths.Python, [script, .. paths]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }

    // SCOORD and Graphic Data are FL: float32 of the double rectangle, within half a pixel and inside the image.
    private static void AssertPoints(float[] expected, JsonElement actual, MiniGptMed.Dicom.Imaging.SourceReference image)
    {
        var values = actual.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (var k = 0; k < values.Length; k++)
        {
            Assert.InRange(values[k], expected[k] - 0.5, expected[k] + 0.5);
            Assert.InRange(values[k], 0, k % 2 == 0 ? image.Columns : image.Rows);
        }
    }

    // found: the centre lines (left, top, right, bottom) of the outline burned in with the first box's colour, each
    // the mean centre of the pixels the 2-px stroke covers wholly, as pydicom decodes them. The stroke is centred on
    // the rectangle's edges (Skia's and PS3.3 C.18.6.1.2's pixel corners agree), so each centre line lies within half a
    // pixel of its edge; pixels only partly covered (the anti-aliasing band, one pixel each side) are not counted.
    private static void AssertBurnedIn(PixelRectangle expected, double[] found, string source)
    {
        double[] edges = [expected.X1, expected.Y1, expected.X2, expected.Y2];
        for (var k = 0; k < 4; k++)
        {
            Assert.True(Math.Abs(found[k] - edges[k]) <= 0.5, $"{source}: side {k} burned in at {found[k]}, edge at {edges[k]}");
        }
    }

    private static byte[] WithoutDates(string path)
    {
        var file = DicomFile.Open(path);
        foreach (var tag in new[]
                 {
                     Dicom.Data.DicomTags.InstanceCreationDate, Dicom.Data.DicomTags.InstanceCreationTime, Dicom.Data.DicomTags.ContentDate,
                     Dicom.Data.DicomTags.ContentTime, Dicom.Data.DicomTags.PresentationCreationDate, Dicom.Data.DicomTags.PresentationCreationTime,
                     Dicom.Data.DicomTags.SeriesDate, Dicom.Data.DicomTags.SeriesTime, Dicom.Data.DicomTags.DateOfSecondaryCapture,
                     Dicom.Data.DicomTags.TimeOfSecondaryCapture, Dicom.Data.DicomTags.TimezoneOffsetFromUTC,
                 })
        {
            file.Dataset.Remove(tag);
        }

        using var stream = new MemoryStream();
        file.Save(stream);
        return stream.ToArray();
    }
}
