namespace MiniGptMed.Dicom.PresentationState;

/// <summary>
/// What a viewer lists for the presentation state (PS3.3 C.11.10 Presentation State Identification) and the graphic
/// layer its annotations lie on (C.10.7).
/// </summary>
/// <param name="Created">Presentation Creation Date/Time.</param>
/// <param name="ContentLabel">Content Label (0070,0080): CS, upper case letters, digits, '_' and space, at most 16.</param>
/// <param name="ContentDescription">Content Description (0070,0081), LO: what this is, for the reader.</param>
/// <param name="ContentCreatorName">Content Creator's Name (0070,0084), PN; empty (type 2) when null.</param>
/// <param name="GraphicLayer">Graphic Layer (0070,0002): CS like the label; a viewer toggles it.</param>
public sealed record PresentationStateContent(
    DateTimeOffset Created,
    string ContentLabel = "MINIGPTMED_AI",
    string ContentDescription = "AI-generated findings, not verified by a physician",
    string? ContentCreatorName = null,
    string GraphicLayer = "MINIGPTMED_AI",
    string GraphicLayerDescription = "AI-generated findings (MiniGPT-Med), unverified");
