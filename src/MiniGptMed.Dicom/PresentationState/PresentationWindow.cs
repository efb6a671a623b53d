namespace MiniGptMed.Dicom.PresentationState;

/// <summary>
/// A window as PS3.3 C.11.2.1.2 defines it (applied to the Modality LUT output): the one the analysis used, so that
/// the radiologist sees what the model saw.
/// </summary>
/// <param name="Function">VOI LUT Function (0028,1056): LINEAR (null), LINEAR_EXACT or SIGMOID.</param>
/// <param name="Explanation">Window Center &amp; Width Explanation (0028,1055), LO, e.g. the preset's name.</param>
public sealed record PresentationWindow(double Center, double Width, string? Function = null, string? Explanation = null);
