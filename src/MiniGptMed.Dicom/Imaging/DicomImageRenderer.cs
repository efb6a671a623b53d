using System.Runtime.InteropServices;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging.Codecs;
using MiniGptMed.Dicom.Imaging.Color;
using MiniGptMed.Dicom.Imaging.Lut;

namespace MiniGptMed.Dicom.Imaging;

/// <summary>
/// Turns one frame of an instance into the 8-bit image a radiologist would look at: grayscale through the
/// PS3.4 Annex N pipeline with the chosen window, colour to RGB; carrying its source reference.
/// </summary>
public static class DicomImageRenderer
{
    public static OutputImage Render(DicomPixelData pixelData, int frameIndex, WindowPreset window, PixelDecoderRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(pixelData);
        ArgumentNullException.ThrowIfNull(window);
        var dataset = pixelData.Dataset;
        var info = pixelData.Info;
        try
        {
            if (RenderStreamed(pixelData, frameIndex, window, registry) is { } streamed)
            {
                return new OutputImage(info.Columns, info.Rows, 1, streamed, SourceOf(dataset, info, frameIndex));
            }

            var frame = pixelData.DecodeFrame(frameIndex, registry);
            byte[] pixels;
            int channels;
            if (frame.Photometric.IsMonochrome)
            {
                var modality = ReadModalityLut(dataset, info.IsSigned);
                var voi = window.Resolve(frame, modality, ReadDatasetVoi(dataset), ReadFunction(dataset));
                pixels = GrayscaleRenderer.Render(frame, new GrayscaleRendering(modality, voi, ReadShape(dataset)));
                channels = 1;
            }
            else
            {
                var palette = frame.Photometric == PhotometricInterpretation.PaletteColor ? ReadPalette(dataset) : null;
                pixels = ColorRenderer.ToRgb8(frame, palette);
                channels = 3;
            }

            return new OutputImage(info.Columns, info.Rows, channels, pixels, SourceOf(dataset, info, frameIndex));
        }
        catch (Exception ex) when (ex is DicomDataException or FormatException or InvalidCastException or OverflowException)
        {
            throw new DicomImagingException($"LUT attributes cannot be read: {ex.Message}", info.SopInstanceUid, ex);
        }
        catch (DicomImagingException ex) when (ex.SopInstanceUid is null)
        {
            throw new DicomImagingException(ex.Message, info.SopInstanceUid, ex);
        }
    }

    // Large grey frames with a window known before decoding go line by line through the table (see
    // GrayscaleRenderer.RenderStreamed); when the table has more entries than a sixteenth of the pixels, building it
    // in full costs more than the whole-frame path, which fills only the entries the samples use.
    private static byte[]? RenderStreamed(DicomPixelData pixelData, int frameIndex, WindowPreset window, PixelDecoderRegistry? registry)
    {
        var info = pixelData.Info;
        if (!info.Photometric.IsMonochrome || info.BitsStored > 16 || (long)info.Rows * info.Columns < 16L << info.BitsStored)
        {
            return null;
        }

        var dataset = pixelData.Dataset;
        var modality = ReadModalityLut(dataset, info.IsSigned);
        var voi = window.ResolveWithoutPixels(ReadDatasetVoi(dataset), ReadFunction(dataset));
        return voi is null
            ? null
            : GrayscaleRenderer.RenderStreamed(pixelData, frameIndex, new GrayscaleRendering(modality, voi, ReadShape(dataset)), registry);
    }

    public static SourceReference SourceOf(DicomDataset dataset, PixelDataInfo info, int frameIndex)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(info);
        var spacing = dataset.GetValues<double>(DicomTags.PixelSpacing);
        if (spacing.Length < 2)
        {
            spacing = dataset.GetValues<double>(DicomTags.ImagerPixelSpacing);
        }

        return new SourceReference(
            dataset.GetString(DicomTags.SOPClassUID) ?? string.Empty,
            dataset.GetString(DicomTags.SOPInstanceUID) ?? string.Empty,
            frameIndex + 1,
            info.Rows,
            info.Columns,
            spacing.Length >= 2 ? new PixelSpacing(spacing[0], spacing[1]) : null);
    }

    /// <summary>PS3.3 C.11.1: the Modality LUT Sequence if present, else Rescale Slope/Intercept, else identity.</summary>
    public static ModalityLut ReadModalityLut(DicomDataset dataset, bool signedInput)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.GetSequence(DicomTags.ModalityLUTSequence) is { Items.Count: > 0 } sequence)
        {
            return new TableModalityLut(ReadLut(sequence.Items[0], DicomTags.LUTDescriptor, DicomTags.LUTData, signedInput));
        }

        var slope = dataset.GetValueOrDefault(DicomTags.RescaleSlope, 1.0);
        var intercept = dataset.GetValueOrDefault(DicomTags.RescaleIntercept, 0.0);
        return new RescaleModalityLut(slope == 0 ? 1 : slope, intercept);
    }

    /// <summary>The file's own VOI: the first VOI LUT Sequence item, else the first window, else none.</summary>
    public static VoiTransform? ReadDatasetVoi(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.GetSequence(DicomTags.VOILUTSequence) is { Items.Count: > 0 } sequence)
        {
            // PS3.3 C.11.2.1.1: the VOI LUT input is the Modality LUT output, which may be signed.
            return new TableVoi(ReadLut(sequence.Items[0], DicomTags.LUTDescriptor, DicomTags.LUTData, signedInput: true));
        }

        if (dataset.TryGetValue<double>(DicomTags.WindowCenter, out var center)
            && dataset.TryGetValue<double>(DicomTags.WindowWidth, out var width)
            && width > 0)
        {
            return new WindowVoi(center, Math.Max(width, 1), ReadFunction(dataset));
        }

        return null;
    }

    private static VoiFunction ReadFunction(DicomDataset dataset) =>
        VoiTransform.ParseFunction(dataset.GetString(DicomTags.VOILUTFunction));

    private static PresentationLutShape ReadShape(DicomDataset dataset) =>
        string.Equals(dataset.GetString(DicomTags.PresentationLUTShape)?.Trim(), "INVERSE", StringComparison.OrdinalIgnoreCase)
            ? PresentationLutShape.Inverse
            : PresentationLutShape.Identity;

    private static PaletteColorLut ReadPalette(DicomDataset dataset) => new(
        ReadLut(dataset, DicomTags.RedPaletteColorLookupTableDescriptor, DicomTags.RedPaletteColorLookupTableData, false),
        ReadLut(dataset, DicomTags.GreenPaletteColorLookupTableDescriptor, DicomTags.GreenPaletteColorLookupTableData, false),
        ReadLut(dataset, DicomTags.BluePaletteColorLookupTableDescriptor, DicomTags.BluePaletteColorLookupTableData, false));

    private static LookupTable ReadLut(DicomDataset dataset, DicomTag descriptorTag, DicomTag dataTag, bool signedInput)
    {
        var descriptor = dataset.GetValues<int>(descriptorTag);
        if (!dataset.TryGetElement(dataTag, out var element) || element is not DicomValueElement data)
        {
            throw new DicomImagingException($"{dataTag} (LUT Data) is missing");
        }

        var words = MemoryMarshal.Cast<byte, ushort>(data.Buffer.GetMemory().Span);
        return LookupTable.FromDescriptor(descriptor, words, signedInput);
    }
}
