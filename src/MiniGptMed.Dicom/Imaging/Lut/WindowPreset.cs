using System.Globalization;

namespace MiniGptMed.Dicom.Imaging.Lut;

/// <summary>How a routing rule or the CLI picks the VOI: a named preset, the file's own window, auto, or numbers.</summary>
public enum WindowPresetKind
{
    Fixed,
    Dataset,
    Auto,
}

/// <summary>
/// Window presets by name (CT lung -600/1500, mediastinum 40/400, bone 400/1800, brain 40/80, abdomen 40/350),
/// "dataset" (the file's first window or VOI LUT), "auto" (robust min/max) or "CENTRE,WIDTH".
/// </summary>
public sealed record WindowPreset(string Name, WindowPresetKind Kind, double Center = 0, double Width = 0)
{
    public static readonly WindowPreset Lung = new("lung", WindowPresetKind.Fixed, -600, 1500);
    public static readonly WindowPreset Mediastinum = new("mediastinum", WindowPresetKind.Fixed, 40, 400);
    public static readonly WindowPreset Bone = new("bone", WindowPresetKind.Fixed, 400, 1800);
    public static readonly WindowPreset Brain = new("brain", WindowPresetKind.Fixed, 40, 80);
    public static readonly WindowPreset Abdomen = new("abdomen", WindowPresetKind.Fixed, 40, 350);
    public static readonly WindowPreset Dataset = new("dataset", WindowPresetKind.Dataset);
    public static readonly WindowPreset Auto = new("auto", WindowPresetKind.Auto);

    public static IReadOnlyList<WindowPreset> Named { get; } = [Lung, Mediastinum, Bone, Brain, Abdomen, Dataset, Auto];

    public static WindowPreset Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        foreach (var preset in Named)
        {
            if (string.Equals(preset.Name, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return preset;
            }
        }

        var parts = trimmed.Split(',');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var center)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var width)
            && width >= 1)
        {
            return new WindowPreset(trimmed, WindowPresetKind.Fixed, center, width);
        }

        throw new FormatException(
            $"Window '{text}' is neither a preset ({string.Join(", ", Named.Select(p => p.Name))}) nor CENTRE,WIDTH with WIDTH >= 1.");
    }

    /// <summary>
    /// The VOI for a frame. <paramref name="datasetVoi"/> is the file's own first window or VOI LUT (or null);
    /// "dataset" falls back to "auto" when the file has none.
    /// </summary>
    public VoiTransform Resolve(DecodedFrame frame, ModalityLut modality, VoiTransform? datasetVoi, VoiFunction function = VoiFunction.Linear) =>
        ResolveWithoutPixels(datasetVoi, function) ?? AutoWindow.Compute(frame, modality);

    /// <summary>The VOI when it does not depend on the pixels (a fixed window, or the file's own); null for auto.</summary>
    public VoiTransform? ResolveWithoutPixels(VoiTransform? datasetVoi, VoiFunction function = VoiFunction.Linear) =>
        Kind switch
        {
            WindowPresetKind.Fixed => new WindowVoi(Center, Width, function),
            WindowPresetKind.Dataset when datasetVoi is not null => datasetVoi,
            _ => null,
        };
}
