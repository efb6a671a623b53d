using MiniGptMed.Dicom.Composition;

namespace MiniGptMed.Dicom.PresentationState;

/// <summary>A box on the referenced image (source pixel coordinates) and the text shown with it.</summary>
public sealed record PresentationAnnotation(PixelRectangle Box, string Label);
