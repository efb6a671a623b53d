using System.Globalization;

namespace MiniGptMed.DicomNode.Analysis;

/// <summary>
/// The VOI an image was shown to the model with, as a presentation state can repeat it (PS3.3 C.11.2 VOI LUT: Window
/// Center, Window Width, VOI LUT Function). Null on an image when it was colour (no VOI) or the data set's own VOI
/// LUT table was used (<see cref="RenderedImage.VoiNote"/> says so).
/// </summary>
/// <param name="Function">"LINEAR" or "LINEAR_EXACT" (the auto window's min..max range, exactly) or "SIGMOID".</param>
internal sealed record AppliedWindow(double Center, double Width, string Function, string Explanation)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Explanation} (center {Center:0.###}, width {Width:0.###}, {Function})");
}
