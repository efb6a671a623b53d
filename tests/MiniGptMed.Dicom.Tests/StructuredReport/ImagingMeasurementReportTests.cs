using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.StructuredReport;
using MiniGptMed.Dicom.StructuredReport.Templates;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.StructuredReport;

public sealed class ImagingMeasurementReportTests
{
    private static MeasurementReportContent CtContent(DicomDataset source, string narrative = "No acute findings. Small nodule in the right upper lobe.")
    {
        var reference = SourceImages.Reference(source);
        return new MeasurementReportContent
        {
            Images = [new AnalysedImage(source, reference)],
            Algorithm = ReportFixture.Algorithm,
            Findings =
            [
                new PlanarFinding("nodule 1", "2.25.1001", new CodedConcept("27925004", "SCT", "Nodule"), reference, new PixelRectangle(10.5, 12, 30, 40.25)),
                new PlanarFinding("mass 1", "2.25.1002", new CodedConcept("4147007", "SCT", "Mass"), reference, new PixelRectangle(0, 0, 48, 64)) { CertaintyPercent = 80 },
            ],
            Narrative = narrative,
            Answers = [new QuestionAnswer("Is there a pleural effusion?", "No.")],
        };
    }

    [Fact]
    public async Task Create_ForCtSlice_PassesDciodvfyDsrdumpDsr2xmlAndPydicom()
    {
        var source = SourceImages.CtSlice();
        using var temp = new TempDirectory();
        var path = Write(temp, CtContent(source));

        Assert.Empty(await ReportValidation.DciodvfyErrorsAsync(path));
        var dump = await ReportValidation.DsrdumpAsync(path);
        Assert.Contains("Comprehensive 3D SR", dump, StringComparison.Ordinal);
        Assert.Contains("<CONTAINER:(,,\"Imaging Measurement Report\")=SEPARATE>", dump, StringComparison.Ordinal);
        Assert.Contains("<has concept mod CODE:(,,\"Language of Content Item and Descendants\")=(en,RFC5646,\"English\")>", dump, StringComparison.Ordinal);
        Assert.Contains("<has obs context CODE:(,,\"Observer Type\")=(121007,DCM,\"Device\")>", dump, StringComparison.Ordinal);
        Assert.Contains("<contains CODE:(,,\"Finding\")=(27925004,SCT,\"Nodule\")>", dump, StringComparison.Ordinal);
        Assert.Contains("<contains SCOORD:(,,\"Image Region\")=(POLYLINE,10.5/12,30/12,30/40.25,10.5/40.25,10.5/12)>", dump, StringComparison.Ordinal);
        Assert.Contains("<contains TEXT:(,,\"Narrative Summary\")=\"No acute findings. Small nodule in the right upper lobe.\">", dump, StringComparison.Ordinal);
        await ReportValidation.Dsr2XmlAsync(path);
        await AssertPydicomReadsAsync(path);
    }

    [Fact]
    public async Task Create_ForRadiographWithProcedureCode_ReportsTheSourceProcedure()
    {
        var source = SourceImages.ChestRadiographWithProcedureCode();
        var reference = SourceImages.Reference(source);
        var content = new MeasurementReportContent
        {
            Images = [new AnalysedImage(source, reference)],
            Algorithm = ReportFixture.Algorithm,
            Findings = [new PlanarFinding("pneumonia 1", "2.25.2001", ReportFixture.Pneumonia, reference, new PixelRectangle(25, 60, 125, 210))],
            ProcedureReported = [ProcedureCodes.ForModality("DX")],
        };
        using var temp = new TempDirectory();
        var path = Write(temp, content);

        Assert.Empty(await ReportValidation.DciodvfyErrorsAsync(path));
        var dump = await ReportValidation.DsrdumpAsync(path);
        Assert.Contains("<has concept mod CODE:(,,\"Procedure reported\")=(36643-5,LN,\"XR Chest 2V\")>", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("Imaging procedure", dump, StringComparison.Ordinal);
        Assert.Contains("<has acq context CODE:(,,\"Modality\")=(DX,DCM,\"Digital Radiography\")>", dump, StringComparison.Ordinal);
        Assert.Contains("<has acq context NUM:(,,\"Horizontal Pixel Spacing\")=\"0.139\" (mm,UCUM,\"mm\")>", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("Qualitative Evaluations", dump, StringComparison.Ordinal);
        await ReportValidation.Dsr2XmlAsync(path);
        await AssertPydicomReadsAsync(path);
    }

    [Fact]
    public async Task Create_ForMultiFrameSource_ReferencesTheFrames()
    {
        var source = SourceImages.MultiFrameCt(frames: 4);
        var frame2 = SourceImages.Reference(source, frame: 2);
        var frame3 = SourceImages.Reference(source, frame: 3);
        var content = new MeasurementReportContent
        {
            Images = [new AnalysedImage(source, frame3), new AnalysedImage(source, frame2)],
            Algorithm = ReportFixture.Algorithm,
            Findings = [new PlanarFinding("lesion", "2.25.3001", new CodedConcept("4147007", "SCT", "Mass"), frame3, new PixelRectangle(4, 5, 20, 21))],
        };
        using var temp = new TempDirectory();
        var path = Write(temp, content);

        Assert.Empty(await ReportValidation.DciodvfyErrorsAsync(path));
        var dump = await ReportValidation.DsrdumpAsync(path);
        await ReportValidation.Dsr2XmlAsync(path);
        await AssertPydicomReadsAsync(path);

        var root = ContentTree.Read(DicomFile.Open(path).Dataset);
        var entry = ContentTree.Descendants(root).OfType<ImageContentItem>().Single(i => i.Relationship == RelationshipType.Contains);
        Assert.Equal([2, 3], entry.Reference!.FrameNumbers);
        var selectedFrom = ContentTree.Descendants(root).OfType<ImageContentItem>().Single(i => i.Relationship == RelationshipType.SelectedFrom);
        Assert.Equal([3], selectedFrom.Reference!.FrameNumbers);
        Assert.Contains("<selected from IMAGE:", dump, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ForJapaneseNameInIso2022Ir87_WritesIsoIr192ThatEveryReaderDecodes()
    {
        var source = SourceImages.JapaneseNameInIso2022Ir87();
        using var temp = new TempDirectory();
        var path = Write(temp, CtContentFor(source));

        var written = DicomFile.Open(path).Dataset;
        Assert.Equal("ISO_IR 192", written.GetString(DicomTags.SpecificCharacterSet));
        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", written.GetString(DicomTags.PatientName));
        Assert.Empty(await ReportValidation.DciodvfyErrorsAsync(path));
        var dump = await ReportValidation.DsrdumpAsync(path);
        Assert.Contains("Yamada^Tarou", dump, StringComparison.Ordinal);
        await ReportValidation.Dsr2XmlAsync(path);
        var oracle = await PydicomOracle.ReadAsync([path]);
        Assert.Equal("ok", oracle.Status(path));
        Assert.Equal("山田^太郎", oracle.Json(path).GetProperty("00100010").GetProperty("Value")[0].GetProperty("Ideographic").GetString());
    }

    [Fact]
    public async Task Create_WithGermanAndChineseNarrative_KeepsEveryCharacter()
    {
        const string narrative = "Kein Hinweis auf Pleuraerguss; geringes Ödem. 右肺上叶见小结节，建议随访。";
        const string question = "Gibt es einen Pneumothorax? 有气胸吗？";
        var source = SourceImages.CtSlice();
        var content = CtContent(source, narrative) with { Answers = [new QuestionAnswer(question, "Nein. 没有。")] };
        using var temp = new TempDirectory();
        var path = Write(temp, content);

        var root = ContentTree.Read(DicomFile.Open(path).Dataset);
        var texts = ContentTree.Descendants(root).OfType<TextContentItem>().ToList();
        Assert.Contains(texts, t => t.Text == narrative && ReportCodes.NarrativeSummary.Matches(t.ConceptName));
        var answer = texts.Single(t => ReportCodes.Answer.Matches(t.ConceptName));
        Assert.Equal("Nein. 没有。", answer.Text);
        Assert.Equal(question, answer.Children.OfType<TextContentItem>().Single(q => ReportCodes.Question.Matches(q.ConceptName)).Text);

        Assert.Empty(await ReportValidation.DciodvfyErrorsAsync(path));
        await ReportValidation.DsrdumpAsync(path);
        var xml = await ReportValidation.Dsr2XmlAsync(path);
        Assert.Contains("geringes Ödem", xml, StringComparison.Ordinal);
        Assert.Contains("右肺上叶见小结节", xml, StringComparison.Ordinal);
        var oracle = await PydicomOracle.ReadAsync([path]);
        Assert.Equal("ok", oracle.Status(path));
        var strings = Strings(oracle.Json(path)).ToList();
        Assert.Contains(narrative, strings);
        Assert.Contains(question, strings);
    }

    [Fact]
    public void Create_ThenRead_GivesBackTheTreeThatWasWritten()
    {
        var source = SourceImages.CtSlice();
        var created = ImagingMeasurementReport.Create(CtContent(source), ReportFixture.Identity(), ReportFixture.Device, ReportFixture.CreatedAt);
        using var temp = new TempDirectory();
        var path = temp.File("sr.dcm");
        var syntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        new DicomFile(DicomFileWriter.BuildFileMetaInformation(created, syntax), created, syntax).Save(path);

        var read = ContentTree.Read(DicomFile.Open(path).Dataset);

        Assert.Equal(ContentTree.Describe(ContentTree.Read(created)), ContentTree.Describe(read));
        Assert.Equal("1500", read.TemplateIdentifier);
        Assert.True(ReportCodes.ImagingMeasurementReport.Matches(read.ConceptName));
    }

    [Fact]
    public void Create_WritesEachRegionAsTheClosedRectangleGiven()
    {
        var source = SourceImages.CtSlice();
        var content = CtContent(source);

        var root = ContentTree.Read(ImagingMeasurementReport.Create(content, ReportFixture.Identity(), ReportFixture.Device, ReportFixture.CreatedAt));

        var regions = ContentTree.Descendants(root).OfType<SpatialCoordinatesContentItem>().ToList();
        Assert.Equal(content.Findings.Count, regions.Count);
        for (var i = 0; i < regions.Count; i++)
        {
            Assert.Equal("POLYLINE", regions[i].GraphicType);
            Assert.Equal(content.Findings[i].Region.ToClosedPolyline(), regions[i].GraphicData);
            Assert.Equal(10, regions[i].GraphicData.Length);
            var image = Assert.IsType<ImageContentItem>(Assert.Single(regions[i].Children));
            Assert.Equal(RelationshipType.SelectedFrom, image.Relationship);
            Assert.Equal(source.GetString(DicomTags.SOPInstanceUID), image.Reference!.SopInstanceUid);
            Assert.Empty(image.Reference.FrameNumbers);
        }
    }

    [Fact]
    public void Create_WithRegionOutsideTheImage_RefusesAndSaysToClip()
    {
        var source = SourceImages.CtSlice();
        var reference = SourceImages.Reference(source);
        var content = CtContent(source) with
        {
            Findings = [new PlanarFinding("edge", "2.25.4001", ReportFixture.Pneumonia, reference, new PixelRectangle(40, 10, 49, 20))],
        };

        var error = Assert.Throws<ArgumentException>(() => ImagingMeasurementReport.Create(content, ReportFixture.Identity(), ReportFixture.Device, ReportFixture.CreatedAt));

        Assert.Contains("48x64", error.Message, StringComparison.Ordinal);
        Assert.Contains("ClipTo", error.Message, StringComparison.Ordinal);
        Assert.Contains("edge", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithFindingInUndeclaredPrivateScheme_Refuses()
    {
        var source = SourceImages.CtSlice();
        var reference = SourceImages.Reference(source);
        var content = CtContent(source) with
        {
            Findings = [new PlanarFinding("opacity", "2.25.5001", new CodedConcept("OPACITY", "99MGMED", "opacity"), reference, new PixelRectangle(1, 1, 5, 5))],
        };

        var error = Assert.Throws<ArgumentException>(() => ImagingMeasurementReport.Create(content, ReportFixture.Identity(), ReportFixture.Device, ReportFixture.CreatedAt));

        Assert.Contains("99MGMED", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithDeclaredPrivateSchemeAndPredecessor_WritesBothAndStaysValid()
    {
        var source = SourceImages.CtSlice();
        var reference = SourceImages.Reference(source);
        var scheme = new CodingSchemeDeclaration("99MGMED", "Findings named by the model with no SNOMED CT code", "Example hospital", "1");
        var predecessor = new SopInstanceReference(source.GetString(DicomTags.StudyInstanceUID)!, "2.25.7001", DicomUid.Comprehensive3DSRStorage.Value, "2.25.7002");
        var content = CtContent(source) with
        {
            Findings = [new PlanarFinding("opacity", "2.25.5001", new CodedConcept("OPACITY", "99MGMED", "opacity"), reference, new PixelRectangle(1, 1, 5, 5))],
            CodingSchemes = [scheme],
            Predecessor = predecessor,
        };
        using var temp = new TempDirectory();
        var path = Write(temp, content);

        var written = DicomFile.Open(path).Dataset;
        var declared = written.GetSequence(DicomTags.CodingSchemeIdentificationSequence)!.Items;
        Assert.Contains(declared, d => d.GetString(DicomTags.CodingSchemeDesignator) == "99MGMED" && d.GetString(DicomTags.CodingSchemeName) == scheme.Name);
        Assert.Contains(declared, d => d.GetString(DicomTags.CodingSchemeDesignator) == "99VQA");
        var predecessorItem = written.GetSequence(DicomTags.PredecessorDocumentsSequence)!.Items.Single();
        var instance = predecessorItem.GetSequence(DicomTags.ReferencedSeriesSequence)!.Items.Single().GetSequence(DicomTags.ReferencedSOPSequence)!.Items.Single();
        Assert.Equal("2.25.7002", instance.GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Empty(await ReportValidation.DciodvfyErrorsAsync(path));
        await ReportValidation.DsrdumpAsync(path);
    }

    [Fact]
    public void Create_WritesTheSrDocumentModulesAndTheEvidence()
    {
        var source = SourceImages.CtSlice();

        var report = ImagingMeasurementReport.Create(CtContent(source), ReportFixture.Identity(), ReportFixture.Device, ReportFixture.CreatedAt);

        Assert.Equal("PARTIAL", report.GetString(DicomTags.CompletionFlag));
        Assert.Equal("UNVERIFIED", report.GetString(DicomTags.VerificationFlag));
        Assert.Equal("20260102", report.GetString(DicomTags.ContentDate));
        Assert.Equal("130507", report.GetString(DicomTags.ContentTime));
        Assert.Equal("SR", report.GetString(DicomTags.Modality));
        Assert.Equal(ImagingMeasurementReport.DefaultSeriesDescription, report.GetString(DicomTags.SeriesDescription));
        Assert.NotNull(report.GetSequence(DicomTags.PerformedProcedureCodeSequence));
        var study = report.GetSequence(DicomTags.CurrentRequestedProcedureEvidenceSequence)!.Items.Single();
        Assert.Equal(source.GetString(DicomTags.StudyInstanceUID), study.GetString(DicomTags.StudyInstanceUID));
        var series = study.GetSequence(DicomTags.ReferencedSeriesSequence)!.Items.Single();
        Assert.Equal(source.GetString(DicomTags.SeriesInstanceUID), series.GetString(DicomTags.SeriesInstanceUID));
        Assert.Equal(source.GetString(DicomTags.SOPInstanceUID), series.GetSequence(DicomTags.ReferencedSOPSequence)!.Items.Single().GetString(DicomTags.ReferencedSOPInstanceUID));
    }

    [Fact]
    public async Task Create_WithTextButNoLocatedFinding_CarriesTheTextAndNoRegion()
    {
        var source = SourceImages.CtSlice();
        var content = CtContent(source) with { Findings = [] };
        using var temp = new TempDirectory();
        var path = Write(temp, content);

        Assert.Empty(await ReportValidation.DciodvfyErrorsAsync(path));
        var dump = await ReportValidation.DsrdumpAsync(path);
        Assert.DoesNotContain("Imaging Measurements", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("SCOORD", dump, StringComparison.Ordinal);
        Assert.Contains("Narrative Summary", dump, StringComparison.Ordinal);
        await ReportValidation.Dsr2XmlAsync(path);
    }

    [Fact]
    public void Create_SameAnalysisTwice_GivesTheSameBytes()
    {
        var source = SourceImages.CtSlice();
        var identity = ReportFixture.Identity("AI-generated, not verified");

        byte[] Bytes()
        {
            using var stream = new MemoryStream();
            ImagingMeasurementReport.CreateFile(CtContent(source), identity, ReportFixture.Device, ReportFixture.CreatedAt).Save(stream);
            return stream.ToArray();
        }

        Assert.Equal(Bytes(), Bytes());
    }

    [Fact]
    public void Create_WithIdentityOfAnotherSopClass_Refuses()
    {
        var source = SourceImages.CtSlice();
        var identity = ReportFixture.Identity() with { SopClassUid = "1.2.840.10008.5.1.4.1.1.7", Modality = "OT" };

        var error = Assert.Throws<ArgumentException>(() => ImagingMeasurementReport.Create(CtContent(source), identity, ReportFixture.Device, ReportFixture.CreatedAt));

        Assert.Contains("Comprehensive 3D SR", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithNothingToReport_Refuses()
    {
        var source = SourceImages.CtSlice();
        var content = new MeasurementReportContent { Images = [new AnalysedImage(source, SourceImages.Reference(source))], Algorithm = ReportFixture.Algorithm };

        var error = Assert.Throws<ArgumentException>(() => ImagingMeasurementReport.Create(content, ReportFixture.Identity(), ReportFixture.Device, ReportFixture.CreatedAt));

        Assert.Contains("Nothing to report", error.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Strings(System.Text.Json.JsonElement element) => element.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String => [element.GetString()!],
        System.Text.Json.JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        System.Text.Json.JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        _ => [],
    };

    private static MeasurementReportContent CtContentFor(DicomDataset source)
    {
        var reference = SourceImages.Reference(source);
        return new MeasurementReportContent
        {
            Images = [new AnalysedImage(source, reference)],
            Algorithm = ReportFixture.Algorithm,
            Findings = [new PlanarFinding("nodule", "2.25.6001", new CodedConcept("27925004", "SCT", "Nodule"), reference, new PixelRectangle(1, 2, 3, 4))],
            Narrative = "Report for a patient with a Japanese name.",
        };
    }

    private static string Write(TempDirectory temp, MeasurementReportContent content, string name = "sr.dcm")
    {
        var path = temp.File(name);
        ImagingMeasurementReport.CreateFile(content, ReportFixture.Identity(), ReportFixture.Device, ReportFixture.CreatedAt).Save(path);
        return path;
    }

    private static async Task AssertPydicomReadsAsync(string path)
    {
        var oracle = await PydicomOracle.ReadAsync([path]);
        Assert.True(oracle.Status(path) == "ok", $"pydicom: {oracle.Status(path)} {oracle.Error(path)}");
    }
}
