using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging;

namespace MiniGptMed.Dicom.StructuredReport.Templates;

/// <summary>What a TID 1500 report says: plain values, nothing of the model that produced them.</summary>
public sealed record MeasurementReportContent
{
    /// <summary>Every image (and frame) analysed, in order: the Image Library and the evidence. The first image's
    /// data set gives the patient and study of the report.</summary>
    public required IReadOnlyList<AnalysedImage> Images { get; init; }

    /// <summary>TID 4019, written in every measurement group.</summary>
    public required AlgorithmIdentification Algorithm { get; init; }

    /// <summary>One TID 1410 Planar ROI measurement group each.</summary>
    public IReadOnlyList<PlanarFinding> Findings { get; init; } = [];

    /// <summary>The generated report, as a TEXT (111412, DCM, "Narrative Summary") under Qualitative Evaluations.</summary>
    public string? Narrative { get; init; }

    /// <summary>Answers to questions put to the device, each a TEXT with its question (see <see cref="ReportCodes.Answer"/>).</summary>
    public IReadOnlyList<QuestionAnswer> Answers { get; init; } = [];

    /// <summary>
    /// Procedure Reported when the source has no Procedure Code Sequence (0008,1032): a code for the modality and
    /// region; when empty too, <see cref="ProcedureCodes.ForModality"/>.
    /// </summary>
    public IReadOnlyList<CodedConcept> ProcedureReported { get; init; } = [];

    /// <summary>TID 1204 language (CID 5000); English by default.</summary>
    public CodedConcept Language { get; init; } = ReportCodes.English;

    /// <summary>TID 1204 country of the language (CID 5001); United States by default, null for none.</summary>
    public CodedConcept? Country { get; init; } = ReportCodes.UnitedStates;

    /// <summary>Private coding schemes the codes given (findings, procedures) use; each "99" designator used must be here.</summary>
    public IReadOnlyList<CodingSchemeDeclaration> CodingSchemes { get; init; } = [];

    /// <summary>An earlier report this one replaces (a re-analysis): Predecessor Documents Sequence (0040,A360).</summary>
    public SopInstanceReference? Predecessor { get; init; }
}

/// <summary>An analysed image: its data set (header attributes are enough) and the frame the model saw.</summary>
public sealed record AnalysedImage(DicomDataset Dataset, SourceReference Reference);

/// <summary>TID 4019 Algorithm Identification: name, version and parameters (the task, the prompt, ...).</summary>
public sealed record AlgorithmIdentification(string Name, string Version, IReadOnlyList<string> Parameters);

/// <summary>
/// A located finding: TID 1410 with its tracking identifiers, the finding code (SNOMED CT where known, else a
/// declared private scheme), and its region on one analysed image, in that image's pixel coordinates.
/// </summary>
public sealed record PlanarFinding(string TrackingIdentifier, string TrackingUid, CodedConcept Finding, SourceReference Image, PixelRectangle Region)
{
    /// <summary>Optional (111012, DCM, "Certainty of Finding") in percent, 0 to 100.</summary>
    public double? CertaintyPercent { get; init; }
}

/// <summary>A question put to the device and its answer.</summary>
public sealed record QuestionAnswer(string Question, string Answer);

/// <summary>An instance in the hierarchy study / series / instance (PS3.3 Table 10-4).</summary>
public sealed record SopInstanceReference(string StudyInstanceUid, string SeriesInstanceUid, string SopClassUid, string SopInstanceUid);
