using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.PresentationState;

/// <summary>
/// Color Softcopy Presentation State Storage (PS3.3 A.33.2, 1.2.840.10008.5.1.4.1.1.11.2) over colour originals:
/// the same annotations, displayed area and layer as the grayscale state, no VOI (colour has none), and the ICC
/// Profile module (C.11.15) that the IOD makes mandatory, here sRGB, the space the originals' RGB is taken to be in.
/// </summary>
public static class ColorSoftcopyPresentationStateBuilder
{
    public const string SopClassUid = "1.2.840.10008.5.1.4.1.1.11.2";

    public static DicomDataset Build(DicomDataset header, IReadOnlyList<PresentationImage> images, PresentationStateContent content)
    {
        var dataset = PresentationStateModules.Begin(header, images, content, SopClassUid, "Color Softcopy Presentation State");
        dataset.AddOrUpdate(DicomTags.ICCProfile, DicomVR.OB, SrgbIccProfile.Bytes);
        dataset.AddOrUpdate(DicomTags.ColorSpace, DicomVR.CS, "SRGB");
        return dataset;
    }
}
