using System.Globalization;
using MiniGptMed.Dicom.Imaging;
using SkiaSharp;

namespace MiniGptMed.DicomNode.Results.Drawing;

/// <summary>
/// Burns findings into the windowed image the model saw (grey expanded to RGB) for a Secondary Capture: each box
/// as an anti-aliased outline in a colour of its own over a dark halo (visible on black and on white), its label in
/// white on a dark backing box just outside it, and a banner saying the image is AI-generated and not for
/// diagnostic use. Line width and text size grow with the image so that a 512x512 CT slice and a 3000x2500
/// radiograph read alike once scaled to a screen.
/// </summary>
public static class OverlayPainter
{
    public const string Banner = "AI-generated, not for diagnostic use";

    // Saturated colours, each with one channel at 255 and one at 0: far from every grey, and (as a test relies on)
    // max(R,G,B) - min(R,G,B) over a grey background is exactly 255 x the coverage of the stroke.
    private static readonly SKColor[] Palette =
    [
        new(255, 221, 0),   // yellow
        new(0, 229, 255),   // cyan
        new(255, 0, 255),   // magenta
        new(255, 140, 0),   // orange
        new(0, 255, 96),    // green
        new(255, 0, 96),    // red
    ];

    public static SKColor ColorFor(int index) => Palette[index % Palette.Length];

    /// <summary>The stroke width for an image: 2 px on a 512 px side, growing in proportion.</summary>
    public static float LineWidth(int width, int height) => 2f * Scale(width, height);

    public static PaintedImage Paint(OutputImage image, IReadOnlyList<OverlayBox> boxes)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(boxes);
        var warnings = new List<string>();
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        ToRgba(image, bitmap.GetPixelSpan());
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.ClipRect(new SKRect(0, 0, image.Width, image.Height));
            var scale = Scale(image.Width, image.Height);
            using var font = new SKFont(EmbeddedFont.Typeface, 14f * scale) { Subpixel = true, Edging = SKFontEdging.Antialias };
            for (var i = 0; i < boxes.Count; i++)
            {
                DrawBox(canvas, font, image, boxes[i], i, scale, warnings);
            }

            DrawBanner(canvas, image, scale);
        }

        return new PaintedImage(image.Width, image.Height, ToRgb(bitmap.GetPixelSpan(), image.Width * image.Height), warnings);
    }

    private static float Scale(int width, int height) => Math.Max(1f, Math.Min(width, height) / 512f);

    private static void DrawBox(SKCanvas canvas, SKFont font, OutputImage image, OverlayBox box, int index, float scale, List<string> warnings)
    {
        var number = (index + 1).ToString(CultureInfo.InvariantCulture);
        var clipped = box.Box.ClipTo(image.Width, image.Height);
        if (!box.Box.IsFinite || clipped.Width <= 0 || clipped.Height <= 0)
        {
            warnings.Add($"Box {number} {box.Box} lies outside the {image.Width}x{image.Height} image and is not drawn.");
            return;
        }

        if (clipped != box.Box)
        {
            warnings.Add($"Box {number} {box.Box} reaches outside the {image.Width}x{image.Height} image; drawn clipped as {clipped}.");
        }

        var line = 2f * scale;
        var rect = new SKRect((float)clipped.X1, (float)clipped.Y1, (float)clipped.X2, (float)clipped.Y2);
        var color = ColorFor(index);

        // The outline is centred on the rectangle's edges (PixelRectangle and Skia share the corner-of-pixel
        // convention), so the burned-in line and the SR/GSPS coordinates agree.
        using (var halo = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = line + (2f * scale), Color = new SKColor(0, 0, 0, 150) })
        {
            canvas.DrawRect(rect, halo);
        }

        using (var stroke = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = line, Color = color })
        {
            canvas.DrawRect(rect, stroke);
        }

        var (text, replaced) = EmbeddedFont.Drawable(box.Label);
        if (replaced)
        {
            warnings.Add($"Label of box {number} has characters the embedded font (Latin-1) cannot draw; they are shown as '?'.");
        }

        DrawLabel(canvas, font, image, rect, text, color, line, scale);
    }

    /// <summary>The label above the box, or below it when there is no room, or inside its top when neither fits.</summary>
    private static void DrawLabel(SKCanvas canvas, SKFont font, OutputImage image, SKRect box, string text, SKColor color, float line, float scale)
    {
        if (text.Length == 0)
        {
            return;
        }

        var padding = 3f * scale;
        var metrics = font.Metrics;
        var textHeight = metrics.Descent - metrics.Ascent;
        var width = font.MeasureText(text) + (2 * padding) + (2 * line);
        var height = textHeight + (2 * padding);
        var gap = line * 1.5f;
        var top = box.Top - gap - height >= 0 ? box.Top - gap - height
            : box.Bottom + gap + height <= image.Height ? box.Bottom + gap
            : box.Top + gap;
        var left = Math.Clamp(box.Left, 0, Math.Max(0, image.Width - width));
        var backing = new SKRect(left, top, left + width, top + height);
        using (var paint = new SKPaint { IsAntialias = true, Color = new SKColor(0, 0, 0, 200) })
        {
            canvas.DrawRect(backing, paint);
        }

        // A strip of the box's colour ties the label to its box; the text itself stays white for contrast.
        using (var strip = new SKPaint { IsAntialias = true, Color = color })
        {
            canvas.DrawRect(new SKRect(left, top, left + (2 * line), top + height), strip);
        }

        using var white = new SKPaint { IsAntialias = true, Color = SKColors.White };
        canvas.DrawText(text, left + (2 * line) + padding, top + padding - metrics.Ascent, SKTextAlign.Left, font, white);
    }

    private static void DrawBanner(SKCanvas canvas, OutputImage image, float scale)
    {
        using var font = new SKFont(EmbeddedFont.Typeface, 13f * scale) { Subpixel = true, Edging = SKFontEdging.Antialias };
        var metrics = font.Metrics;
        var padding = 4f * scale;
        var height = metrics.Descent - metrics.Ascent + (2 * padding);
        var band = new SKRect(0, image.Height - height, image.Width, image.Height);
        using (var paint = new SKPaint { Color = new SKColor(0, 0, 0, 190) })
        {
            canvas.DrawRect(band, paint);
        }

        // Narrow images get the text shrunk to fit rather than cut.
        var textWidth = font.MeasureText(Banner);
        if (textWidth > image.Width - (2 * padding))
        {
            font.Size *= (image.Width - (2 * padding)) / textWidth;
        }

        using var white = new SKPaint { IsAntialias = true, Color = SKColors.White };
        canvas.DrawText(Banner, image.Width / 2f, image.Height - padding - metrics.Descent, SKTextAlign.Center, font, white);
    }

    private static void ToRgba(OutputImage image, Span<byte> rgba)
    {
        var pixels = image.Pixels;
        var count = image.Width * image.Height;
        for (int i = 0, j = 0; i < count; i++, j += 4)
        {
            if (image.IsGrey)
            {
                rgba[j] = rgba[j + 1] = rgba[j + 2] = pixels[i];
            }
            else
            {
                rgba[j] = pixels[3 * i];
                rgba[j + 1] = pixels[(3 * i) + 1];
                rgba[j + 2] = pixels[(3 * i) + 2];
            }

            rgba[j + 3] = 255;
        }
    }

    private static byte[] ToRgb(ReadOnlySpan<byte> rgba, int count)
    {
        var rgb = new byte[count * 3];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgb[i] = rgba[j];
            rgb[i + 1] = rgba[j + 1];
            rgb[i + 2] = rgba[j + 2];
        }

        return rgb;
    }
}
