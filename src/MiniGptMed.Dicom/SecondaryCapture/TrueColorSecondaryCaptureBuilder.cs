using System.Globalization;
using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging;

namespace MiniGptMed.Dicom.SecondaryCapture;

/// <summary>
/// Multi-frame True Color Secondary Capture Image Storage (PS3.3 A.8.5, SOP class 1.2.840.10008.5.1.4.1.1.7.4):
/// derived RGB images with graphics burned in, one frame per source frame, in the order given (slice order).
/// The header (Patient, General Study, Patient Study, General Series, General Equipment, SOP Common) comes
/// prepared; this adds SC Equipment, General Image, Image Pixel, Multi-frame, Multi-frame Vector, SC Image and
/// SC Multi-frame Image.
/// </summary>
public static class TrueColorSecondaryCaptureBuilder
{
    public const string SopClassUid = "1.2.840.10008.5.1.4.1.1.7.4";

    // PS3.5 A.1 / 7.1.2: an explicit length is at most 0xFFFFFFFE bytes (even).
    private const long MaxPixelDataBytes = 0xFFFF_FFFE;

    public static DicomDataset Build(DicomDataset header, IReadOnlyList<SecondaryCaptureFrame> frames, SecondaryCaptureOptions options)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(options);
        var (rows, columns) = CheckFrames(frames);
        var dataset = ImageReferenceItems.CopyHeader(header, SopClassUid, "Multi-frame True Color Secondary Capture");
        var (date, time) = ImageReferenceItems.DateAndTime(options.Created);

        // Text this adds may need more than ASCII (a German derivation description): declare UTF-8 then.
        DerivedObjectHeader.EnsureCharacterSetFor(dataset, [options.DerivationDescription, .. frames.Select(f => f.Label)]);

        // PS3.3 C.8.6.1 SC Equipment: WSD, workstation; the device is the one named in General Equipment.
        dataset.AddOrUpdate(DicomTags.ConversionType, DicomVR.CS, "WSD");
        CopyIfPresent(dataset, DicomTags.Manufacturer, DicomTags.SecondaryCaptureDeviceManufacturer, DicomVR.LO);
        CopyIfPresent(dataset, DicomTags.ManufacturerModelName, DicomTags.SecondaryCaptureDeviceManufacturerModelName, DicomVR.LO);
        CopyIfPresent(dataset, DicomTags.SoftwareVersions, DicomTags.SecondaryCaptureDeviceSoftwareVersions, DicomVR.LO);

        // PS3.3 C.7.6.1 General Image.
        if (!dataset.Contains(DicomTags.InstanceNumber))
        {
            dataset.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, "1");
        }

        // Type 2C, required here (no Image Plane module): the frames may come from any orientation, so empty.
        dataset.AddOrUpdate(new DicomValueElement(DicomTags.PatientOrientation, DicomVR.CS, DicomBuffer.Empty));
        dataset.AddOrUpdate(DicomTags.ContentDate, DicomVR.DA, date);
        dataset.AddOrUpdate(DicomTags.ContentTime, DicomVR.TM, time);
        dataset.AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "DERIVED", "SECONDARY");
        dataset.AddOrUpdate(DicomTags.DerivationDescription, DicomVR.ST, options.DerivationDescription);
        dataset.AddOrUpdate(SourceImages(frames));
        dataset.AddOrUpdate(DicomTags.BurnedInAnnotation, DicomVR.CS, "YES");
        dataset.AddOrUpdate(DicomTags.RecognizableVisualFeatures, DicomVR.CS, options.RecognizableVisualFeatures ? "YES" : "NO");
        dataset.AddOrUpdate(DicomTags.LossyImageCompression, DicomVR.CS, "00");

        // PS3.3 C.8.6.2 SC Image, with the Basic Pixel Spacing Calibration Macro: spacing only when every frame has
        // the same one, since one value describes all frames.
        dataset.AddOrUpdate(DicomTags.DateOfSecondaryCapture, DicomVR.DA, date);
        dataset.AddOrUpdate(DicomTags.TimeOfSecondaryCapture, DicomVR.TM, time);
        if (CommonSpacing(frames) is { } spacing)
        {
            dataset.AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, spacing.Row, spacing.Column);
        }

        // PS3.3 C.7.6.6 Multi-frame and C.8.6.3 SC Multi-frame Image: several frames are ordered by a label vector
        // (C.8.6.4 Multi-frame Vector), one label per frame. Frame Increment Pointer is 1C there, present only when
        // there is more than one frame.
        dataset.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, frames.Count.ToString(CultureInfo.InvariantCulture));
        if (frames.Count > 1)
        {
            dataset.AddOrUpdate(DicomTags.FrameIncrementPointer, DicomVR.AT, DicomTags.FrameLabelVector);
            dataset.AddOrUpdate(DicomTags.FrameLabelVector, DicomVR.SH, [.. frames.Select((f, i) => f.Label ?? (i + 1).ToString(CultureInfo.InvariantCulture))]);
        }

        // PS3.3 C.7.6.3 Image Pixel, as C.8.6.3 fixes it for true colour: 3 x 8 bits, RGB, colour-by-pixel.
        dataset.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)3);
        dataset.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "RGB");
        dataset.AddOrUpdate(DicomTags.PlanarConfiguration, DicomVR.US, (ushort)0);
        dataset.AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)rows);
        dataset.AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)columns);
        dataset.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)8);
        dataset.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)8);
        dataset.AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)7);
        dataset.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)0);
        dataset.AddOrUpdate(DicomTags.PixelData, DicomVR.OB, ConcatenateFrames(frames));
        return dataset;
    }

    private static (int Rows, int Columns) CheckFrames(IReadOnlyList<SecondaryCaptureFrame> frames)
    {
        if (frames.Count == 0)
        {
            throw new ArgumentException("A secondary capture needs at least one frame.", nameof(frames));
        }

        var first = frames[0].Source;
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames[i] ?? throw new ArgumentException($"Frame {i + 1} is null.", nameof(frames));
            var source = frame.Source;
            if (source.Rows is < 1 or > ushort.MaxValue || source.Columns is < 1 or > ushort.MaxValue)
            {
                throw new ArgumentException($"Frame {i + 1}: a {source.Columns}x{source.Rows} matrix cannot be written (Rows and Columns are US).", nameof(frames));
            }

            // PS3.3 C.7.6.6: every frame of a multi-frame image has the same Rows and Columns.
            if (source.Rows != first.Rows || source.Columns != first.Columns)
            {
                throw new ArgumentException($"Frame {i + 1} is {source.Columns}x{source.Rows}, frame 1 is {first.Columns}x{first.Rows}: one secondary capture holds frames of one matrix.", nameof(frames));
            }

            if (frame.Rgb.Length != (long)source.Rows * source.Columns * 3)
            {
                throw new ArgumentException($"Frame {i + 1} has {frame.Rgb.Length} bytes; {source.Columns}x{source.Rows} RGB needs {(long)source.Rows * source.Columns * 3}.", nameof(frames));
            }

            if (frame.Label is { Length: > 16 })
            {
                throw new ArgumentException($"Frame {i + 1}: label '{frame.Label}' is longer than the 16 characters of SH.", nameof(frames));
            }
        }

        if ((long)first.Rows * first.Columns * 3 * frames.Count > MaxPixelDataBytes)
        {
            throw new ArgumentException($"{frames.Count} frames of {first.Columns}x{first.Rows} RGB exceed the 4 GB a Pixel Data element can hold.", nameof(frames));
        }

        return (first.Rows, first.Columns);
    }

    private static DicomSequence SourceImages(IReadOnlyList<SecondaryCaptureFrame> frames)
    {
        // PS3.3 C.7.6.1.1.3 / Table C.7-9: one item per source frame, with why it is referenced (CID 7202) and that
        // the pixel grid is the source's (Spatial Locations Preserved YES: same matrix, nothing resampled).
        var sequence = new DicomSequence(DicomTags.SourceImageSequence);
        foreach (var frame in frames)
        {
            var item = ImageReferenceItems.Create(frame.Source.SopClassUid, frame.Source.SopInstanceUid, frame.SourceIsMultiFrame, [frame.Source.FrameNumber]);
            item.AddOrUpdate(new DicomSequence(DicomTags.PurposeOfReferenceCodeSequence, [ImageReferenceItems.Code("121322", "DCM", "Source image for image processing operation")]));
            item.AddOrUpdate(DicomTags.SpatialLocationsPreserved, DicomVR.CS, "YES");
            sequence.Items.Add(item);
        }

        return sequence;
    }

    private static PixelSpacing? CommonSpacing(IReadOnlyList<SecondaryCaptureFrame> frames)
    {
        var first = frames[0].PixelSpacing;
        return first is { Row: > 0, Column: > 0 } && frames.All(f => f.PixelSpacing == first) ? first : null;
    }

    private static byte[] ConcatenateFrames(IReadOnlyList<SecondaryCaptureFrame> frames)
    {
        var frameLength = frames[0].Rgb.Length;
        var pixels = new byte[(long)frameLength * frames.Count];
        for (var i = 0; i < frames.Count; i++)
        {
            frames[i].Rgb.Span.CopyTo(pixels.AsSpan(i * frameLength));
        }

        return pixels;
    }

    private static void CopyIfPresent(DicomDataset dataset, DicomTag from, DicomTag to, DicomVR vr)
    {
        if (dataset.GetString(from) is { Length: > 0 } value)
        {
            dataset.AddOrUpdate(to, vr, value);
        }
    }
}
