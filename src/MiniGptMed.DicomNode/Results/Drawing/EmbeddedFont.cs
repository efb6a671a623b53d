using System.Text;
using SkiaSharp;

namespace MiniGptMed.DicomNode.Results.Drawing;

/// <summary>
/// DejaVu Sans cut to Latin-1 (tools/subset-font.sh; licence beside the font), embedded in the binary: the
/// NoDependencies Skia asset has no fontconfig and a hospital server may have no fonts at all.
/// </summary>
internal static class EmbeddedFont
{
    private const string ResourceName = "MiniGptMed.DicomNode.Fonts.DejaVuSans-Latin1.ttf";

    private static readonly Lazy<SKTypeface> Face = new(Load);

    public static SKTypeface Typeface => Face.Value;

    /// <summary>
    /// The text with every character the font cannot draw (outside U+0020-007E and U+00A0-00FF, the subset)
    /// replaced by '?', and whether any was.
    /// </summary>
    public static (string Text, bool Replaced) Drawable(string text)
    {
        var builder = new StringBuilder(text.Length);
        var replaced = false;
        foreach (var rune in text.EnumerateRunes())
        {
            var drawable = rune.Value is (>= 0x20 and <= 0x7E) or (>= 0xA0 and <= 0xFF);
            builder.Append(drawable ? (char)rune.Value : '?');
            replaced |= !drawable;
        }

        return (builder.ToString(), replaced);
    }

    private static SKTypeface Load()
    {
        using var stream = typeof(EmbeddedFont).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded font {ResourceName} is missing from the build.");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"Skia cannot read the embedded font {ResourceName}.");
    }
}
