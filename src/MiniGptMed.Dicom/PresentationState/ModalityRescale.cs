namespace MiniGptMed.Dicom.PresentationState;

/// <summary>Rescale Slope/Intercept/Type (PS3.3 C.11.1) of the referenced image, which a GSPS must restate.</summary>
/// <param name="Type">Rescale Type (0028,1054): HU for CT, US (unspecified) otherwise.</param>
public sealed record ModalityRescale(double Slope, double Intercept, string Type);
