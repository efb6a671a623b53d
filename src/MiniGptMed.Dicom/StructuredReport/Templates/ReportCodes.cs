namespace MiniGptMed.Dicom.StructuredReport.Templates;

/// <summary>
/// The coded concepts the TID 1500 report writes, as PS3.16 defines them (DCM: Annex D; UMLS, RFC5646,
/// ISO3166_1, UCUM, SCT: the schemes PS3.16 8 registers). docs/conformance.md lists where each one goes.
/// </summary>
public static class ReportCodes
{
    // TID 1500 Measurement Report (PS3.16 A, CID 7021).
    public static CodedConcept ImagingMeasurementReport { get; } = new("126000", "DCM", "Imaging Measurement Report");
    public static CodedConcept ProcedureReported { get; } = new("121058", "DCM", "Procedure reported");
    public static CodedConcept ImagingMeasurements { get; } = new("126010", "DCM", "Imaging Measurements");
    public static CodedConcept QualitativeEvaluations { get; } = new("C0034375", "UMLS", "Qualitative Evaluations");

    // TID 1204 Language of Content Item and Descendants.
    public static CodedConcept LanguageOfContentItemAndDescendants { get; } = new("121049", "DCM", "Language of Content Item and Descendants");
    public static CodedConcept CountryOfLanguage { get; } = new("121046", "DCM", "Country of Language");
    public static CodedConcept English { get; } = new("en", "RFC5646", "English");
    public static CodedConcept UnitedStates { get; } = new("US", "ISO3166_1", "United States");

    // TID 1002 Observer Context, TID 1004 Device Observer Identifying Attributes (CID 270).
    public static CodedConcept ObserverType { get; } = new("121005", "DCM", "Observer Type");
    public static CodedConcept Device { get; } = new("121007", "DCM", "Device");
    public static CodedConcept DeviceObserverUid { get; } = new("121012", "DCM", "Device Observer UID");
    public static CodedConcept DeviceObserverName { get; } = new("121013", "DCM", "Device Observer Name");
    public static CodedConcept DeviceObserverManufacturer { get; } = new("121014", "DCM", "Device Observer Manufacturer");
    public static CodedConcept DeviceObserverModelName { get; } = new("121015", "DCM", "Device Observer Model Name");
    public static CodedConcept DeviceObserverSerialNumber { get; } = new("121016", "DCM", "Device Observer Serial Number");

    // TID 1600 Image Library, TID 1601 entry, TID 1602/1603/1604 descriptors.
    public static CodedConcept ImageLibrary { get; } = new("111028", "DCM", "Image Library");
    public static CodedConcept ImageLibraryGroup { get; } = new("126200", "DCM", "Image Library Group");
    public static CodedConcept Modality { get; } = new("121139", "DCM", "Modality");
    public static CodedConcept StudyDate { get; } = new("111060", "DCM", "Study Date");
    public static CodedConcept StudyTime { get; } = new("111061", "DCM", "Study Time");
    public static CodedConcept FrameOfReferenceUid { get; } = new("112227", "DCM", "Frame of Reference UID");
    public static CodedConcept PixelDataRows { get; } = new("110910", "DCM", "Pixel Data Rows");
    public static CodedConcept PixelDataColumns { get; } = new("110911", "DCM", "Pixel Data Columns");
    public static CodedConcept HorizontalPixelSpacing { get; } = new("111026", "DCM", "Horizontal Pixel Spacing");
    public static CodedConcept VerticalPixelSpacing { get; } = new("111066", "DCM", "Vertical Pixel Spacing");

    // TID 1410 Planar ROI Measurements and Qualitative Evaluations, TID 4108 tracking, TID 4019 algorithm.
    public static CodedConcept MeasurementGroup { get; } = new("125007", "DCM", "Measurement Group");
    public static CodedConcept TrackingIdentifier { get; } = new("112039", "DCM", "Tracking Identifier");
    public static CodedConcept TrackingUniqueIdentifier { get; } = new("112040", "DCM", "Tracking Unique Identifier");
    public static CodedConcept Finding { get; } = new("121071", "DCM", "Finding");
    public static CodedConcept ImageRegion { get; } = new("111030", "DCM", "Image Region");
    public static CodedConcept AlgorithmName { get; } = new("111001", "DCM", "Algorithm Name");
    public static CodedConcept AlgorithmVersion { get; } = new("111003", "DCM", "Algorithm Version");
    public static CodedConcept AlgorithmParameters { get; } = new("111002", "DCM", "Algorithm Parameters");
    public static CodedConcept CertaintyOfFinding { get; } = new("111012", "DCM", "Certainty of Finding");

    // Qualitative evaluations as text.
    public static CodedConcept NarrativeSummary { get; } = new("111412", "DCM", "Narrative Summary");

    /// <summary>
    /// PS3.16 defines no concept for "the answer to a question put to the device" nor for the question, so they
    /// are private codes (PS3.16 8.2: designators beginning with "99"), declared in the Coding Scheme
    /// Identification Sequence of every report that uses them.
    /// </summary>
    public static CodingSchemeDeclaration QuestionAnswerScheme { get; } =
        new("99VQA", "Visual question answering concepts of the reporting device", null, null);

    public static CodedConcept Answer { get; } = new("ANSWER", "99VQA", "Answer");
    public static CodedConcept Question { get; } = new("QUESTION", "99VQA", "Question");

    // UCUM units.
    public static CodedConcept Pixels { get; } = new("{pixels}", "UCUM", "pixels");
    public static CodedConcept Millimetre { get; } = new("mm", "UCUM", "mm");
    public static CodedConcept Percent { get; } = new("%", "UCUM", "%");
}
