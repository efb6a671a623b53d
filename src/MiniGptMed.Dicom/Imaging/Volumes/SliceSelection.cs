using System.Globalization;

namespace MiniGptMed.Dicom.Imaging.Volumes;

/// <summary>
/// Which slices of an ordered volume a routing rule sends to the model: all, every k-th, N evenly spaced, the
/// middle one, or those whose position along the normal lies in a range of millimetres.
/// Text form: <c>all</c>, <c>every:K</c>, <c>even:N</c>, <c>middle</c>, <c>range:FROM..TO</c> (mm, inclusive).
/// </summary>
public abstract record SliceSelection
{
    public static SliceSelection All { get; } = new AllSlices();

    public static SliceSelection Middle { get; } = new MiddleSlice();

    public abstract IReadOnlyList<OrderedSlice> Select(SliceVolume volume);

    public static SliceSelection Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToLowerInvariant();
        var (kind, argument) = t.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? (t[..colon], t[(colon + 1)..]) : (t, "");
        switch (kind)
        {
            case "all":
                return All;
            case "middle":
                return Middle;
            case "every" when int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k >= 1:
                return new EveryKth(k);
            case "even" when int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1:
                return new EvenlySpaced(n);
            case "range":
                var parts = argument.Split("..");
                if (parts.Length == 2
                    && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var from)
                    && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var to))
                {
                    return new PositionRange(Math.Min(from, to), Math.Max(from, to));
                }

                break;
        }

        throw new FormatException($"Slice selection '{text}' is not all, middle, every:K, even:N or range:FROM..TO.");
    }

    private sealed record AllSlices : SliceSelection
    {
        public override IReadOnlyList<OrderedSlice> Select(SliceVolume volume) => volume.Slices;
    }

    private sealed record MiddleSlice : SliceSelection
    {
        // For an even count the lower of the two middle slices, so that the choice is deterministic.
        public override IReadOnlyList<OrderedSlice> Select(SliceVolume volume) =>
            volume.Slices.Count == 0 ? [] : [volume.Slices[(volume.Slices.Count - 1) / 2]];
    }
}

/// <summary>Every k-th slice starting with the first.</summary>
public sealed record EveryKth(int K) : SliceSelection
{
    public override IReadOnlyList<OrderedSlice> Select(SliceVolume volume) =>
        volume.Slices.Where((_, i) => i % K == 0).ToList();
}

/// <summary>N slices evenly spaced by index, first and last included; all of them when there are fewer than N.</summary>
public sealed record EvenlySpaced(int N) : SliceSelection
{
    public override IReadOnlyList<OrderedSlice> Select(SliceVolume volume)
    {
        var count = volume.Slices.Count;
        if (count <= N)
        {
            return volume.Slices;
        }

        if (N == 1)
        {
            return Middle.Select(volume);
        }

        return Enumerable.Range(0, N)
            .Select(i => (int)Math.Round(i * (count - 1) / (double)(N - 1), MidpointRounding.AwayFromZero))
            .Distinct()
            .Select(i => volume.Slices[i])
            .ToList();
    }
}

/// <summary>Slices whose position along the normal (mm, patient coordinates) lies in [From, To].</summary>
public sealed record PositionRange(double From, double To) : SliceSelection
{
    // Positions are sums of DS values: allow for their rounding at the ends of the range.
    private const double Epsilon = 1e-3;

    public override IReadOnlyList<OrderedSlice> Select(SliceVolume volume) =>
        volume.Slices.Where(s => s.Position >= From - Epsilon && s.Position <= To + Epsilon).ToList();
}
