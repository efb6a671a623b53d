namespace MiniGptMed.Dicom.Imaging;

/// <summary>
/// Where an image came from, so that a finding can point back at the right pixels:
/// the instance, the frame (1-based, as in PS3.3 C.7.6.16 Referenced Frame Number), its matrix and spacing.
/// </summary>
public sealed record SourceReference(
    string SopClassUid,
    string SopInstanceUid,
    int FrameNumber,
    int Rows,
    int Columns,
    PixelSpacing? PixelSpacing);

/// <summary>Pixel Spacing (0028,0030): row spacing (between rows) then column spacing, in mm.</summary>
public readonly record struct PixelSpacing(double Row, double Column);
