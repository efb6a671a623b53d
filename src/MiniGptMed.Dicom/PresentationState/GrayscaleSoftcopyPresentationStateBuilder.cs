using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.PresentationState;

/// <summary>
/// Grayscale Softcopy Presentation State Storage (PS3.3 A.33.1, 1.2.840.10008.5.1.4.1.1.11.1) over monochrome
/// originals: the boxes as graphic annotations on one layer, the analysis window as the Softcopy VOI LUT, the
/// original's rescale as the Modality LUT, and a Presentation LUT Shape that keeps the original's polarity. The
/// header (Patient ... SOP Common, Modality PR) comes prepared.
/// </summary>
public static class GrayscaleSoftcopyPresentationStateBuilder
{
    public const string SopClassUid = "1.2.840.10008.5.1.4.1.1.11.1";

    public static DicomDataset Build(DicomDataset header, IReadOnlyList<PresentationImage> images, PresentationStateContent content)
    {
        var dataset = PresentationStateModules.Begin(header, images, content, SopClassUid, "Grayscale Softcopy Presentation State");

        // The Modality LUT and Presentation LUT modules hold one value for every referenced image: images that
        // differ there need presentation states of their own (a caller splits them, e.g. per series).
        var rescales = images.Select(i => i.Rescale).Distinct().ToList();
        if (rescales.Count > 1)
        {
            throw new ArgumentException("The images have different rescales; one grayscale presentation state holds one Modality LUT (PS3.3 C.11.1), so write one per rescale.", nameof(images));
        }

        if (images.Select(i => i.IsMonochrome1).Distinct().Count() > 1)
        {
            throw new ArgumentException("MONOCHROME1 and MONOCHROME2 images need separate presentation states: one Presentation LUT Shape applies to all (PS3.3 C.11.6).", nameof(images));
        }

        // PS3.3 C.11.1 (as A.33.1 uses it): required when the original has a rescale, restated so the VOI window
        // applies to the same values it did in the analysis (e.g. Hounsfield units).
        if (rescales[0] is { } rescale)
        {
            dataset.AddOrUpdate(DicomTags.RescaleIntercept, DicomVR.DS, rescale.Intercept);
            dataset.AddOrUpdate(DicomTags.RescaleSlope, DicomVR.DS, rescale.Slope);
            dataset.AddOrUpdate(DicomTags.RescaleType, DicomVR.LO, rescale.Type);
        }

        WriteVoi(dataset, images);

        // PS3.3 C.11.6.1: a presentation state replaces the original's Photometric Interpretation as the thing that
        // says which end is white; INVERSE shows a MONOCHROME1 original as its modality meant it (minimum white).
        dataset.AddOrUpdate(DicomTags.PresentationLUTShape, DicomVR.CS, images[0].IsMonochrome1 ? "INVERSE" : "IDENTITY");
        return dataset;
    }

    private static void WriteVoi(DicomDataset dataset, IReadOnlyList<PresentationImage> images)
    {
        // PS3.3 C.11.8 Softcopy VOI LUT: one item per window, naming the images and frames it applies to.
        var windowed = images.Where(i => i.Window is not null).ToList();
        if (windowed.Count == 0)
        {
            return;
        }

        // Attached first, so that an explanation is encoded in the object's character set.
        var sequence = new DicomSequence(DicomTags.SoftcopyVOILUTSequence);
        dataset.AddOrUpdate(sequence);
        foreach (var byWindow in windowed.GroupBy(i => i.Window!))
        {
            var window = byWindow.Key;
            if (!double.IsFinite(window.Center) || !double.IsFinite(window.Width) || window.Width < 1)
            {
                throw new ArgumentException($"Window {window.Center}/{window.Width} is not valid (PS3.3 C.11.2.1.2: width >= 1).", nameof(images));
            }

            var item = new DicomDataset();
            sequence.Items.Add(item);
            item.AddOrUpdate(new DicomSequence(DicomTags.ReferencedImageSequence, byWindow
                .GroupBy(i => i.Source.SopInstanceUid, StringComparer.Ordinal)
                .Select(PresentationStateModules.ReferenceTo)));
            item.AddOrUpdate(DicomTags.WindowCenter, DicomVR.DS, window.Center);
            item.AddOrUpdate(DicomTags.WindowWidth, DicomVR.DS, window.Width);
            if (window.Explanation is { Length: > 0 } explanation)
            {
                item.AddOrUpdate(DicomTags.WindowCenterWidthExplanation, DicomVR.LO, explanation);
            }

            if (window.Function is { Length: > 0 } function && function != "LINEAR")
            {
                item.AddOrUpdate(DicomTags.VOILUTFunction, DicomVR.CS, function);
            }
        }
    }
}
