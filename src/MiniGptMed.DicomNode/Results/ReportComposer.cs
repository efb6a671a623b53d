using System.Globalization;
using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.StructuredReport;
using MiniGptMed.Dicom.StructuredReport.Templates;
using MiniGptMed.DicomNode.Analysis;
using MiniGptMed.Inference.Model;
using SrImage = MiniGptMed.Dicom.StructuredReport.Templates.AnalysedImage;

namespace MiniGptMed.DicomNode.Results;

/// <summary>
/// The study's TID 1500 report (Comprehensive 3D SR): every analysed frame in the Image Library, one Planar ROI group
/// per region (Finding coded by <see cref="FindingCodes"/>, the region a 5-point POLYLINE on its frame, TID 4019 with
/// the model's name, version and the task), and every answer as text with the question it answers. A report-task
/// answer on a single image is the Narrative Summary. The notes of an answer (a box clipped, a box dropped) are
/// written after its text, so that the report says what the node changed.
/// </summary>
internal sealed class ReportComposer : IResultComposer
{
    public const string SeriesDescription = "AI findings (MiniGPT-Med), not verified by a radiologist";

    public IEnumerable<ResultObject> Compose(ResultsContext context)
    {
        var analysis = context.Analysis;
        var images = analysis.Images.Select(i => new SrImage(i.Rendered.Planned.Instance.Dataset, i.Rendered.Source)).ToList();
        var findings = new List<PlanarFinding>();
        var answers = new List<QuestionAnswer>();
        string? narrative = null;
        var reports = analysis.Images.SelectMany(i => i.Answers).Count(a => a.Task.Task == MedTask.Report);
        var many = analysis.Images.Count > 1;
        for (var i = 0; i < analysis.Images.Count; i++)
        {
            var image = analysis.Images[i];
            var where = many
                ? string.Create(CultureInfo.InvariantCulture, $" (image {i + 1} of {analysis.Images.Count}: {image.Rendered.Source.SopInstanceUid} frame {image.Rendered.Source.FrameNumber})")
                : string.Empty;
            foreach (var answer in image.Answers)
            {
                foreach (var finding in answer.Findings)
                {
                    var code = FindingCodes.For(finding.Phrase);
                    foreach (var region in finding.Regions)
                    {
                        var n = findings.Count + 1;
                        findings.Add(new PlanarFinding(
                            string.Create(CultureInfo.InvariantCulture, $"Finding {n}: {code.Meaning}"),
                            context.Uids.ItemUid(string.Create(CultureInfo.InvariantCulture, $"finding/{n}")),
                            new CodedConcept(code.Value, code.Scheme, code.Meaning),
                            image.Rendered.Source,
                            region.Rectangle)
                        {
                            // PS3.16 (111012, DCM, "Certainty of Finding") is in percent; two decimals say what the
                            // geometric mean of token probabilities can honestly carry.
                            CertaintyPercent = finding.Confidence is { } c ? Math.Round(c * 100, 2) : null,
                        });
                    }
                }

                var text = answer.Text.Length > 0 ? answer.Text : "(no text)";
                if (answer.Notes.Count > 0)
                {
                    text += " [Processing notes: " + string.Join("; ", answer.Notes) + "]";
                }

                if (answer.Task.Task == MedTask.Report && reports == 1)
                {
                    narrative = text;
                }
                else
                {
                    answers.Add(new QuestionAnswer(answer.Instruction + where, text));
                }
            }
        }

        var content = new MeasurementReportContent
        {
            Images = images,
            Algorithm = new AlgorithmIdentification(analysis.Model.Name, analysis.Model.Version, [.. analysis.Tasks.Select(t => t.Key)]),
            Findings = findings,
            Narrative = narrative,
            Answers = answers,
            Predecessor = context.Predecessor,
            CodingSchemes = findings.Any(f => f.Finding.Scheme == FindingCodes.PrivateScheme)
                ? [new CodingSchemeDeclaration(FindingCodes.PrivateScheme, FindingCodes.PrivateSchemeName, FindingCodes.PrivateSchemeResponsibleOrganization, null)]
                : [],
        };
        var identity = context.Identity(ResultKind.SR, DicomUid.Comprehensive3DSRStorage.Value, null, 1, "SR", SeriesDescription);
        yield return new ResultObject(ResultKind.SR, identity, null, ImagingMeasurementReport.Create(content, identity, context.Device, context.CreatedAt));
    }
}
