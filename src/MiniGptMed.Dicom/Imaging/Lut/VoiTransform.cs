namespace MiniGptMed.Dicom.Imaging.Lut;

/// <summary>VOI LUT Function (0028,1056), PS3.3 C.11.2.1.3.</summary>
public enum VoiFunction
{
    Linear,
    LinearExact,
    Sigmoid,
}

/// <summary>
/// The VOI LUT stage (PS3.3 C.11.2, PS3.4 N.2.1): modality values to an output range, here 0..1 so that the
/// caller chooses the bit depth; a window, a VOI LUT, or the identity over a given range.
/// </summary>
public abstract record VoiTransform
{
    /// <summary>Maps a modality value to 0..1.</summary>
    public abstract double Apply(double modalityValue);

    public static VoiFunction ParseFunction(string? value) =>
        (value ?? string.Empty).Trim().ToUpperInvariant() switch
        {
            "" or "LINEAR" => VoiFunction.Linear,
            "LINEAR_EXACT" => VoiFunction.LinearExact,
            "SIGMOID" => VoiFunction.Sigmoid,
            _ => throw new DicomImagingException($"VOI LUT Function '{value}' is not LINEAR, LINEAR_EXACT or SIGMOID"),
        };
}

/// <summary>Window Center (0028,1050) / Window Width (0028,1051) with a VOI LUT Function.</summary>
public sealed record WindowVoi : VoiTransform
{
    public WindowVoi(double center, double width, VoiFunction function = VoiFunction.Linear)
    {
        // PS3.3 C.11.2.1.2.1: width >= 1 for LINEAR; > 0 for LINEAR_EXACT (C.11.2.1.3.2) and SIGMOID.
        if (double.IsNaN(center) || double.IsNaN(width) || (function == VoiFunction.Linear ? width < 1 : width <= 0))
        {
            throw new DicomImagingException($"Window width {width} is not valid for {function}");
        }

        Center = center;
        Width = width;
        Function = function;
    }

    public double Center { get; }

    public double Width { get; }

    public VoiFunction Function { get; }

    public override double Apply(double modalityValue)
    {
        double x = modalityValue, c = Center, w = Width;
        switch (Function)
        {
            case VoiFunction.Linear:
                // PS3.3 C.11.2.1.2.1
                if (x <= c - 0.5 - ((w - 1) / 2))
                {
                    return 0;
                }

                if (x > c - 0.5 + ((w - 1) / 2))
                {
                    return 1;
                }

                return w == 1 ? 1 : ((x - (c - 0.5)) / (w - 1)) + 0.5;
            case VoiFunction.LinearExact:
                // PS3.3 C.11.2.1.3.2
                if (x <= c - (w / 2))
                {
                    return 0;
                }

                return x > c + (w / 2) ? 1 : ((x - c) / w) + 0.5;
            default:
                // PS3.3 C.11.2.1.3.1
                return 1 / (1 + Math.Exp(-4 * (x - c) / w));
        }
    }
}

/// <summary>VOI LUT Sequence (0028,3010) item: output scaled by the LUT's bit depth.</summary>
public sealed record TableVoi(LookupTable Table) : VoiTransform
{
    public override double Apply(double modalityValue) => Table.Map(modalityValue) / (double)Table.MaxOutput;
}

/// <summary>No VOI: the given modality-value range maps linearly onto the output (used for "auto" and fallbacks).</summary>
public sealed record RangeVoi(double Minimum, double Maximum) : VoiTransform
{
    public override double Apply(double modalityValue)
    {
        if (Maximum <= Minimum)
        {
            return modalityValue >= Maximum ? 1 : 0;
        }

        return Math.Clamp((modalityValue - Minimum) / (Maximum - Minimum), 0, 1);
    }
}
