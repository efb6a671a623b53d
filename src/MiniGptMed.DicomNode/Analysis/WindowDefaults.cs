using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging.Lut;

namespace MiniGptMed.DicomNode.Analysis;

/// <summary>
/// The window a series is shown to the model with when no rule or option chooses one.
/// </summary>
/// <remarks>
/// CT: MiniGPT-Med's CT training data were NLST chest slices, shown in a lung window (MODEL.md "Preprocessing"), so
/// a CT is shown as the model learnt to read it: lung (-600/1500); a head CT (Body Part Examined HEAD, BRAIN, SKULL)
/// gets the brain window (40/80) instead, since a lung window shows the brain as one grey. Every other modality (DX,
/// CR, MG, MR, ...): the data set's own VOI (its first window or VOI LUT, chosen by the modality or the technologist
/// for display), and the robust min/max window where it has none. Colour images are not windowed.
/// </remarks>
internal static class WindowDefaults
{
    private static readonly string[] HeadParts = ["HEAD", "BRAIN", "SKULL"];

    public static WindowPreset For(SourceInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (string.Equals(instance.Modality, "CT", StringComparison.OrdinalIgnoreCase))
        {
            var part = (instance.Dataset.GetString(DicomTags.BodyPartExamined) ?? string.Empty).Trim();
            return HeadParts.Contains(part, StringComparer.OrdinalIgnoreCase) ? WindowPreset.Brain : WindowPreset.Lung;
        }

        return WindowPreset.Dataset;
    }
}
