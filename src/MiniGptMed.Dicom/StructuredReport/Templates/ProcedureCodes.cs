namespace MiniGptMed.Dicom.StructuredReport.Templates;

/// <summary>
/// Codes that describe the procedure and the images when the source has no code for them: PS3.16 CID 100
/// (Quantitative Diagnostic Imaging Procedures) for Procedure Reported, CID 29 (Acquisition Modality) for the
/// Image Library's Modality descriptor.
/// </summary>
public static class ProcedureCodes
{
    private static readonly Dictionary<string, CodedConcept> ProcedureByModality = new(StringComparer.Ordinal)
    {
        ["CT"] = new("25045-6", "LN", "CT unspecified body region"),
        ["MR"] = new("25056-3", "LN", "MRI unspecified body region"),
        ["PT"] = new("44136-0", "LN", "PET unspecified body region"),
        ["NM"] = new("49118-3", "LN", "NM unspecified body region"),
    };

    // PS3.16 CID 29: the modality's defined term is the code value (DCM).
    private static readonly Dictionary<string, string> ModalityMeanings = new(StringComparer.Ordinal)
    {
        ["BMD"] = "Bone Mineral Densitometry",
        ["CR"] = "Computed Radiography",
        ["CT"] = "Computed Tomography",
        ["DG"] = "Diaphanography",
        ["DX"] = "Digital Radiography",
        ["ES"] = "Endoscopy",
        ["GM"] = "General Microscopy",
        ["IO"] = "Intra-oral Radiography",
        ["IVOCT"] = "Intravascular Optical Coherence Tomography",
        ["IVUS"] = "Intravascular Ultrasound",
        ["MG"] = "Mammography",
        ["MR"] = "Magnetic Resonance",
        ["NM"] = "Nuclear Medicine",
        ["OCT"] = "Optical Coherence Tomography",
        ["OP"] = "Ophthalmic Photography",
        ["OPT"] = "Ophthalmic Tomography",
        ["PT"] = "Positron emission tomography",
        ["PX"] = "Panoramic X-Ray",
        ["RF"] = "Radiofluoroscopy",
        ["RG"] = "Radiographic imaging",
        ["SM"] = "Slide Microscopy",
        ["TG"] = "Thermography",
        ["US"] = "Ultrasound",
        ["XA"] = "X-Ray Angiography",
        ["XC"] = "External-camera Photography",
    };

    /// <summary>
    /// A CID 100 code for a procedure of <paramref name="modality"/> on an unspecified region; for modalities
    /// CID 100 has no such code for, (363679005, SCT, "Imaging procedure"), also of CID 100.
    /// </summary>
    public static CodedConcept ForModality(string? modality) =>
        modality is not null && ProcedureByModality.TryGetValue(modality, out var code)
            ? code
            : new CodedConcept("363679005", "SCT", "Imaging procedure");

    /// <summary>The CID 29 code of a modality's defined term, or null when CID 29 does not list it (OT, SC, ...).</summary>
    public static CodedConcept? AcquisitionModality(string? modality) =>
        modality is not null && ModalityMeanings.TryGetValue(modality, out var meaning) ? new CodedConcept(modality, "DCM", meaning) : null;
}
