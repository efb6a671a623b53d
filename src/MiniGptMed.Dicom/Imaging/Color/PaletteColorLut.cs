using MiniGptMed.Dicom.Imaging.Lut;

namespace MiniGptMed.Dicom.Imaging.Color;

/// <summary>Red, Green and Blue Palette Color LUTs (PS3.3 C.7.6.3.1.5, (0028,1101-1103) and (0028,1201-1203)).</summary>
public sealed record PaletteColorLut(LookupTable Red, LookupTable Green, LookupTable Blue);
