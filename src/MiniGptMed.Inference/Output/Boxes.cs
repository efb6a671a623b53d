using System.Globalization;

namespace MiniGptMed.Inference.Output;

/// <summary>A box in the model's units: integers 0..100 of the (stretched) model input, top-left then bottom-right.</summary>
public readonly record struct NormalizedBox(int X1, int Y1, int X2, int Y2)
{
    /// <summary>MODEL.md "Output": x = v/100 * Columns, y = v/100 * Rows, since the resize was a stretch.</summary>
    public PixelBox ToPixels(int width, int height) =>
        new(X1 / 100.0 * width, Y1 / 100.0 * height, X2 / 100.0 * width, Y2 / 100.0 * height);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{{<{X1}><{Y1}><{X2}><{Y2}>}}");
}

/// <summary>A box in source-image pixel coordinates (x right, y down).</summary>
public readonly record struct PixelBox(double X1, double Y1, double X2, double Y2)
{
    public bool IsFinite => double.IsFinite(X1) && double.IsFinite(Y1) && double.IsFinite(X2) && double.IsFinite(Y2);

    public double Width => X2 - X1;

    public double Height => Y2 - Y1;

    /// <summary>Parses <c>x1,y1,x2,y2</c> (invariant culture).</summary>
    public static bool TryParse(string text, out PixelBox box)
    {
        box = default;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 4)
        {
            return false;
        }

        var v = new double[4];
        for (int i = 0; i < 4; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]))
            {
                return false;
            }
        }

        box = new PixelBox(v[0], v[1], v[2], v[3]);
        return box.IsFinite;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{X1:0.#},{Y1:0.#},{X2:0.#},{Y2:0.#}");
}

/// <summary>A phrase of the answer (<c>&lt;p&gt;pneumonia&lt;/p&gt;</c>) with its boxes; Phrase is null for bare boxes (refer).</summary>
public sealed record Finding(string? Phrase, IReadOnlyList<NormalizedBox> Boxes, IReadOnlyList<PixelBox> PixelBoxes)
{
    /// <summary>Where the phrase, its boxes and delimiters stand in the raw answer text (character ranges).</summary>
    public IReadOnlyList<Range> SourceSpans { get; init; } = [];

    /// <summary>
    /// The geometric mean of the probabilities the model gave the tokens of this finding's phrase and boxes
    /// (0..1), or null when it is not known (output parsed from text alone).
    /// </summary>
    public double? Confidence { get; init; }
}

/// <summary>The answer taken apart: clean text, findings, and what was dropped or repaired and why.</summary>
public sealed record ParsedOutput(string RawText, string Text, IReadOnlyList<Finding> Findings, IReadOnlyList<string> Problems)
{
    public IEnumerable<NormalizedBox> AllBoxes => Findings.SelectMany(f => f.Boxes);
}
