using System.Globalization;

namespace MiniGptMed.Dicom.Composition;

/// <summary>
/// An axis-aligned rectangle on one frame of an image, in image pixel coordinates as PS3.3 C.18.6.1.2 (SR SCOORD)
/// and C.10.5.1.2 (presentation state Graphic Data, PIXEL units) define them: column (x) then row (y), sub-pixel,
/// with 0,0 the top left corner of the top left pixel and Columns,Rows the bottom right corner of the bottom right
/// pixel. This is also where a model box in 0..100 units lands on the source when the resize was a stretch
/// (x = v / 100 * Columns).
/// </summary>
public readonly record struct PixelRectangle(double X1, double Y1, double X2, double Y2)
{
    public double Width => X2 - X1;

    public double Height => Y2 - Y1;

    public bool IsFinite => double.IsFinite(X1) && double.IsFinite(Y1) && double.IsFinite(X2) && double.IsFinite(Y2);

    /// <summary>True when the rectangle lies wholly inside an image of this matrix.</summary>
    public bool LiesWithin(int columns, int rows) =>
        IsFinite && X1 >= 0 && Y1 >= 0 && X2 <= columns && Y2 <= rows && X1 <= X2 && Y1 <= Y2;

    /// <summary>The rectangle cut to the image, with corners ordered; empty (zero width or height) when wholly outside.</summary>
    public PixelRectangle ClipTo(int columns, int rows)
    {
        static double Clamp(double v, double max) => double.IsNaN(v) ? 0 : Math.Clamp(v, 0, max);
        var x1 = Clamp(Math.Min(X1, X2), columns);
        var x2 = Clamp(Math.Max(X1, X2), columns);
        var y1 = Clamp(Math.Min(Y1, Y2), rows);
        var y2 = Clamp(Math.Max(Y1, Y2), rows);
        return new PixelRectangle(x1, y1, x2, y2);
    }

    /// <summary>
    /// The closed outline as SR POLYLINE / presentation-state POLYLINE wants it: 5 points (x,y pairs), top-left,
    /// top-right, bottom-right, bottom-left and top-left again.
    /// </summary>
    public float[] ToClosedPolyline() =>
    [
        (float)X1, (float)Y1,
        (float)X2, (float)Y1,
        (float)X2, (float)Y2,
        (float)X1, (float)Y2,
        (float)X1, (float)Y1,
    ];

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"({X1:0.##},{Y1:0.##})-({X2:0.##},{Y2:0.##})");
}
