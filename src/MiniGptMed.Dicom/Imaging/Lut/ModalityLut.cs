namespace MiniGptMed.Dicom.Imaging.Lut;

/// <summary>
/// The Modality LUT stage (PS3.3 C.11.1, PS3.4 N.2.1): stored values to modality values, either by
/// Rescale Slope/Intercept or by a Modality LUT Sequence item.
/// </summary>
public abstract record ModalityLut
{
    public static ModalityLut Identity { get; } = new RescaleModalityLut(1, 0);

    public abstract double Apply(double storedValue);
}

/// <summary>Rescale Slope (0028,1053) and Intercept (0028,1052): m * SV + b.</summary>
public sealed record RescaleModalityLut(double Slope, double Intercept) : ModalityLut
{
    public override double Apply(double storedValue) => (Slope * storedValue) + Intercept;
}

/// <summary>Modality LUT Sequence (0028,3000).</summary>
public sealed record TableModalityLut(LookupTable Table) : ModalityLut
{
    public override double Apply(double storedValue) => Table.Map(storedValue);
}
