namespace MiniGptMed.Dicom.Imaging.Lut;

/// <summary>
/// The "auto" window: a robust minimum and maximum of the modality values, taken at low and high
/// percentiles so that a few hot or dead pixels (or the CT padding value) do not flatten the image.
/// </summary>
public static class AutoWindow
{
    public const double DefaultLowPercentile = 0.5;
    public const double DefaultHighPercentile = 99.5;

    public static RangeVoi Compute(DecodedFrame frame, ModalityLut modality, double lowPercentile = DefaultLowPercentile, double highPercentile = DefaultHighPercentile)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(modality);
        if (!(lowPercentile >= 0 && lowPercentile < highPercentile && highPercentile <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(lowPercentile), "Percentiles must satisfy 0 <= low < high <= 100.");
        }

        var samples = frame.Samples;
        var lowRank = (long)Math.Floor(lowPercentile / 100 * (samples.Length - 1));
        var highRank = (long)Math.Ceiling(highPercentile / 100 * (samples.Length - 1));
        double lowValue, highValue;
        if (frame.BitsStored <= 16)
        {
            // Histogram over the stored range: O(n) where a sort would be O(n log n).
            var min = frame.IsSigned ? -(1 << (frame.BitsStored - 1)) : 0;
            var histogram = new int[1 << frame.BitsStored];
            foreach (var s in samples)
            {
                histogram[s - min]++;
            }

            lowValue = ValueAtRank(histogram, lowRank) + min;
            highValue = ValueAtRank(histogram, highRank) + min;
        }
        else
        {
            var sorted = new long[samples.Length];
            for (var i = 0; i < samples.Length; i++)
            {
                sorted[i] = frame.StoredValue(samples[i]);
            }

            Array.Sort(sorted);
            lowValue = sorted[lowRank];
            highValue = sorted[highRank];
        }

        double a = modality.Apply(lowValue), b = modality.Apply(highValue);
        return new RangeVoi(Math.Min(a, b), Math.Max(a, b));
    }

    private static int ValueAtRank(int[] histogram, long rank)
    {
        long seen = 0;
        for (var v = 0; v < histogram.Length; v++)
        {
            seen += histogram[v];
            if (seen > rank)
            {
                return v;
            }
        }

        return histogram.Length - 1;
    }
}
