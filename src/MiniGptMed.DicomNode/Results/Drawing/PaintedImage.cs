namespace MiniGptMed.DicomNode.Results.Drawing;

/// <summary>
/// The windowed image with the findings burned in: 8-bit RGB, interleaved, at the source matrix; and what the
/// painter had to change to draw it (labels with characters outside the font, boxes cut at the image edge).
/// </summary>
public sealed record PaintedImage(int Width, int Height, byte[] Rgb, IReadOnlyList<string> Warnings);
