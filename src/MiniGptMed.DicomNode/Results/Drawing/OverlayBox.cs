using MiniGptMed.Dicom.Composition;

namespace MiniGptMed.DicomNode.Results.Drawing;

/// <summary>A finding to draw: its box in source pixel coordinates and the label written beside it.</summary>
public sealed record OverlayBox(PixelRectangle Box, string Label);
