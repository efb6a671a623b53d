namespace MiniGptMed.Dicom.SecondaryCapture;

/// <summary>What the builder cannot know from the pixels: when, and what was done to them.</summary>
/// <param name="Created">Content Date/Time and Date/Time of Secondary Capture.</param>
/// <param name="DerivationDescription">Derivation Description (0008,2111), ST: what was drawn into the pixels.</param>
/// <param name="RecognizableVisualFeatures">
/// Recognizable Visual Features (0028,0302): true when the pixels could identify the patient (e.g. a face in a
/// rendering); a windowed slice with boxes is NO unless the caller knows better.
/// </param>
public sealed record SecondaryCaptureOptions(
    DateTimeOffset Created,
    string DerivationDescription,
    bool RecognizableVisualFeatures = false);
