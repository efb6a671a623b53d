namespace MiniGptMed.Dicom.Imaging.Color;

/// <summary>
/// YCbCr to RGB for YBR_FULL and YBR_FULL_422 (PS3.3 C.7.6.3.1.2): full range, CCIR 601 coefficients,
/// the inverse of the equations given there, rounded and clamped to the sample range.
/// </summary>
public static class YbrToRgb
{
    public static void ConvertInPlace(int[] samples, int bitsStored)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var max = (1 << bitsStored) - 1;
        var half = 1 << (bitsStored - 1);
        for (var i = 0; i + 2 < samples.Length; i += 3)
        {
            double y = samples[i], cb = samples[i + 1] - half, cr = samples[i + 2] - half;
            samples[i] = Clamp(y + (1.402 * cr), max);
            samples[i + 1] = Clamp(y - (0.344136 * cb) - (0.714136 * cr), max);
            samples[i + 2] = Clamp(y + (1.772 * cb), max);
        }
    }

    private static int Clamp(double value, int max)
    {
        var rounded = (int)Math.Round(value, MidpointRounding.AwayFromZero);
        return rounded < 0 ? 0 : rounded > max ? max : rounded;
    }
}
