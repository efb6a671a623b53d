namespace MiniGptMed.Dicom.Imaging;

/// <summary>
/// The closed set of Photometric Interpretations (0028,0004) the node decodes, as descriptors
/// (PS3.3 C.7.6.3.1.2): each knows its defined term and how many samples per pixel it has.
/// </summary>
public sealed class PhotometricInterpretation
{
    public static readonly PhotometricInterpretation Monochrome1 = new("MONOCHROME1", 1);
    public static readonly PhotometricInterpretation Monochrome2 = new("MONOCHROME2", 1);
    public static readonly PhotometricInterpretation PaletteColor = new("PALETTE COLOR", 1);
    public static readonly PhotometricInterpretation Rgb = new("RGB", 3);
    public static readonly PhotometricInterpretation YbrFull = new("YBR_FULL", 3);
    public static readonly PhotometricInterpretation YbrFull422 = new("YBR_FULL_422", 3);

    // PS3.5 8.2.3/A.4.4: JPEG 2000 reversible and irreversible colour transforms; decoders undo them.
    public static readonly PhotometricInterpretation YbrRct = new("YBR_RCT", 3);
    public static readonly PhotometricInterpretation YbrIct = new("YBR_ICT", 3);

    private static readonly PhotometricInterpretation[] All =
        [Monochrome1, Monochrome2, PaletteColor, Rgb, YbrFull, YbrFull422, YbrRct, YbrIct];

    private PhotometricInterpretation(string term, int samplesPerPixel)
    {
        Term = term;
        SamplesPerPixel = samplesPerPixel;
    }

    /// <summary>The defined term as written in the data set.</summary>
    public string Term { get; }

    public int SamplesPerPixel { get; }

    public bool IsMonochrome => SamplesPerPixel == 1 && this != PaletteColor;

    public static bool TryParse(string? value, out PhotometricInterpretation photometric)
    {
        var term = (value ?? string.Empty).Trim().TrimEnd('\0').Trim();
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Term, term, StringComparison.OrdinalIgnoreCase))
            {
                photometric = candidate;
                return true;
            }
        }

        photometric = Monochrome2;
        return false;
    }

    public static PhotometricInterpretation Parse(string? value, string? sopInstanceUid = null) =>
        TryParse(value, out var photometric)
            ? photometric
            : throw new DicomImagingException($"Photometric Interpretation '{value}' is not supported", sopInstanceUid);

    public override string ToString() => Term;
}
