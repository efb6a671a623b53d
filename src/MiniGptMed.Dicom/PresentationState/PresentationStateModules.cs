using System.Text.RegularExpressions;
using MiniGptMed.Dicom.Composition;
using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.PresentationState;

/// <summary>The modules the grayscale and colour softcopy presentation states share (PS3.3 A.33.1 / A.33.2).</summary>
internal static partial class PresentationStateModules
{
    // PS3.5 6.2 CS: upper case letters, digits, space and underscore, at most 16.
    [GeneratedRegex("^[A-Z0-9_ ]{1,16}$")]
    private static partial Regex CodeString();

    public static DicomDataset Begin(DicomDataset header, IReadOnlyList<PresentationImage> images, PresentationStateContent content, string sopClassUid, string objectName)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(content);
        Check(images, content);
        var dataset = ImageReferenceItems.CopyHeader(header, sopClassUid, objectName);

        // Labels (e.g. "Ödem") and descriptions may need more than ASCII: declare UTF-8 then, before writing them.
        DerivedObjectHeader.EnsureCharacterSetFor(dataset,
        [
            content.ContentDescription, content.ContentCreatorName, content.GraphicLayerDescription,
            .. images.SelectMany(i => i.Annotations.Select(a => a.Label)),
            .. images.Select(i => i.Window?.Explanation),
        ]);

        // PS3.3 C.11.9 Presentation Series: Modality PR.
        var modality = dataset.GetString(DicomTags.Modality)?.Trim();
        if (!string.IsNullOrEmpty(modality) && modality != "PR")
        {
            throw new ArgumentException($"The header's Modality is {modality}; a presentation state series is PR (PS3.3 C.11.9).", nameof(header));
        }

        dataset.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "PR");
        WriteIdentification(dataset, content);
        WriteRelationship(dataset, images);
        WriteDisplayedArea(dataset, images);
        WriteGraphics(dataset, images, content);
        return dataset;
    }

    private static void Check(IReadOnlyList<PresentationImage> images, PresentationStateContent content)
    {
        if (images.Count == 0)
        {
            throw new ArgumentException("A presentation state references at least one image.", nameof(images));
        }

        if (!CodeString().IsMatch(content.ContentLabel) || !CodeString().IsMatch(content.GraphicLayer))
        {
            throw new ArgumentException($"Content Label '{content.ContentLabel}' and Graphic Layer '{content.GraphicLayer}' must be CS: A-Z, 0-9, '_' or space, 1 to 16 characters.", nameof(content));
        }

        var seen = new HashSet<(string, int)>();
        foreach (var image in images)
        {
            ArgumentNullException.ThrowIfNull(image, nameof(images));
            var s = image.Source;
            if (s.Rows < 1 || s.Columns < 1 || string.IsNullOrEmpty(s.SopInstanceUid) || string.IsNullOrEmpty(s.SopClassUid) || string.IsNullOrEmpty(image.SeriesInstanceUid))
            {
                throw new ArgumentException($"Image {s.SopInstanceUid} frame {s.FrameNumber}: class, instance, series and a matrix are required.", nameof(images));
            }

            if (!seen.Add((s.SopInstanceUid, s.FrameNumber)))
            {
                throw new ArgumentException($"Image {s.SopInstanceUid} frame {s.FrameNumber} is given twice.", nameof(images));
            }

            foreach (var annotation in image.Annotations)
            {
                // Boxes come clipped by the caller (PixelRectangle.ClipTo); one outside would point at no pixels.
                // Unformatted Text Value is ST: at most 1024 characters; a longer label is refused, not cut.
                if (annotation.Label is null || annotation.Label.Length > 1024)
                {
                    throw new ArgumentException($"The label of box {annotation.Box} on {s.SopInstanceUid} is missing or longer than the 1024 characters of ST.", nameof(images));
                }

                if (!annotation.Box.LiesWithin(s.Columns, s.Rows))
                {
                    throw new ArgumentException($"Box {annotation.Box} lies outside the {s.Columns}x{s.Rows} image {s.SopInstanceUid}; clip it first.", nameof(images));
                }
            }
        }
    }

    private static void WriteIdentification(DicomDataset dataset, PresentationStateContent content)
    {
        // PS3.3 C.11.10 Presentation State Identification with the Content Identification Macro (Table 10-12).
        var (date, time) = ImageReferenceItems.DateAndTime(content.Created);
        if (!dataset.Contains(DicomTags.InstanceNumber))
        {
            dataset.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, "1");
        }

        dataset.AddOrUpdate(DicomTags.ContentLabel, DicomVR.CS, content.ContentLabel);
        dataset.AddOrUpdate(DicomTags.ContentDescription, DicomVR.LO, content.ContentDescription);
        dataset.AddOrUpdate(DicomTags.PresentationCreationDate, DicomVR.DA, date);
        dataset.AddOrUpdate(DicomTags.PresentationCreationTime, DicomVR.TM, time);
        dataset.AddOrUpdate(DicomTags.ContentCreatorName, DicomVR.PN, content.ContentCreatorName ?? string.Empty);
    }

    private static void WriteRelationship(DicomDataset dataset, IReadOnlyList<PresentationImage> images)
    {
        // PS3.3 C.11.11 Presentation State Relationship: every image (and frame) the state applies to, by series.
        var series = new DicomSequence(DicomTags.ReferencedSeriesSequence);
        foreach (var bySeries in images.GroupBy(i => i.SeriesInstanceUid, StringComparer.Ordinal))
        {
            var item = new DicomDataset();
            item.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, bySeries.Key);
            item.AddOrUpdate(new DicomSequence(DicomTags.ReferencedImageSequence, bySeries
                .GroupBy(i => i.Source.SopInstanceUid, StringComparer.Ordinal)
                .Select(ReferenceTo)));
            series.Items.Add(item);
        }

        dataset.AddOrUpdate(series);
    }

    /// <summary>One Referenced Image Sequence item for the frames of one instance.</summary>
    public static DicomDataset ReferenceTo(IEnumerable<PresentationImage> framesOfOneInstance)
    {
        var frames = framesOfOneInstance.ToList();
        var first = frames[0];
        return ImageReferenceItems.Create(first.Source.SopClassUid, first.Source.SopInstanceUid, frames.Any(f => f.SourceIsMultiFrame), frames.Select(f => f.Source.FrameNumber));
    }

    private static void WriteDisplayedArea(DicomDataset dataset, IReadOnlyList<PresentationImage> images)
    {
        // PS3.3 C.10.4 Displayed Area: the whole image, scaled to fit, with its true pixel shape (spacing, else the
        // aspect ratio) so that non-square pixels are not shown squashed. Corners are 1-based pixel numbers.
        var sequence = new DicomSequence(DicomTags.DisplayedAreaSelectionSequence);
        foreach (var image in images)
        {
            var item = new DicomDataset();
            item.AddOrUpdate(new DicomSequence(DicomTags.ReferencedImageSequence, [ReferenceTo([image])]));
            item.AddOrUpdate(DicomTags.DisplayedAreaTopLeftHandCorner, DicomVR.SL, 1, 1);
            item.AddOrUpdate(DicomTags.DisplayedAreaBottomRightHandCorner, DicomVR.SL, image.Source.Columns, image.Source.Rows);
            item.AddOrUpdate(DicomTags.PresentationSizeMode, DicomVR.CS, "SCALE TO FIT");
            if (image.Source.PixelSpacing is { Row: > 0, Column: > 0 } spacing)
            {
                item.AddOrUpdate(DicomTags.PresentationPixelSpacing, DicomVR.DS, spacing.Row, spacing.Column);
            }
            else
            {
                var (vertical, horizontal) = image.PixelAspectRatio ?? (1, 1);
                item.AddOrUpdate(DicomTags.PresentationPixelAspectRatio, DicomVR.IS, vertical, horizontal);
            }

            sequence.Items.Add(item);
        }

        dataset.AddOrUpdate(sequence);
    }

    private static void WriteGraphics(DicomDataset dataset, IReadOnlyList<PresentationImage> images, PresentationStateContent content)
    {
        // PS3.3 C.10.5 Graphic Annotation: per referenced frame, the boxes as closed 5-point POLYLINEs and their
        // labels as text in a bounding box, in PIXEL units of that image (C.10.5.1.2: 0\0 is the top left corner
        // of the top left pixel, the same convention as PixelRectangle).
        // Items are attached before their text is written, so that it is encoded in the object's character set.
        var annotated = images.Where(i => i.Annotations.Count > 0).ToList();
        if (annotated.Count == 0)
        {
            return;
        }

        var annotations = new DicomSequence(DicomTags.GraphicAnnotationSequence);
        dataset.AddOrUpdate(annotations);
        foreach (var image in annotated)
        {
            var item = new DicomDataset();
            annotations.Items.Add(item);
            item.AddOrUpdate(new DicomSequence(DicomTags.ReferencedImageSequence, [ReferenceTo([image])]));
            item.AddOrUpdate(DicomTags.GraphicLayer, DicomVR.CS, content.GraphicLayer);

            // Unformatted Text Value is type 1: a box without a label gets no text object.
            var labelled = image.Annotations.Where(a => !string.IsNullOrWhiteSpace(a.Label)).ToList();
            if (labelled.Count > 0)
            {
                var texts = new DicomSequence(DicomTags.TextObjectSequence);
                item.AddOrUpdate(texts);
                foreach (var annotation in labelled)
                {
                    var text = new DicomDataset();
                    texts.Items.Add(text);
                    WriteTextObject(text, annotation, image.Source.Columns, image.Source.Rows);
                }
            }

            item.AddOrUpdate(new DicomSequence(DicomTags.GraphicObjectSequence, image.Annotations.Select(a => GraphicObject(a.Box))));
        }

        // PS3.3 C.10.7 Graphic Layer: required once a graphic annotation names a layer. Shown white on grayscale
        // displays and yellow in colour: CIELab (97, -22, 94), scaled as C.10.7.1.1 says (L 0..100, a and b
        // -128..127 onto 0..65535).
        var layers = new DicomSequence(DicomTags.GraphicLayerSequence);
        dataset.AddOrUpdate(layers);
        var layer = new DicomDataset();
        layers.Items.Add(layer);
        layer.AddOrUpdate(DicomTags.GraphicLayer, DicomVR.CS, content.GraphicLayer);
        layer.AddOrUpdate(DicomTags.GraphicLayerOrder, DicomVR.IS, "1");
        layer.AddOrUpdate(DicomTags.GraphicLayerRecommendedDisplayGrayscaleValue, DicomVR.US, (ushort)0xFFFF);
        layer.AddOrUpdate(DicomTags.GraphicLayerRecommendedDisplayCIELabValue, DicomVR.US, CieLab(97, -22, 94));
        layer.AddOrUpdate(DicomTags.GraphicLayerDescription, DicomVR.LO, content.GraphicLayerDescription);
    }

    private static ushort[] CieLab(double l, double a, double b) =>
    [
        (ushort)Math.Round(l / 100 * 65535),
        (ushort)Math.Round((a + 128) / 255 * 65535),
        (ushort)Math.Round((b + 128) / 255 * 65535),
    ];

    private static DicomDataset GraphicObject(PixelRectangle box)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.GraphicAnnotationUnits, DicomVR.CS, "PIXEL");
        item.AddOrUpdate(DicomTags.GraphicDimensions, DicomVR.US, (ushort)2);
        item.AddOrUpdate(DicomTags.NumberOfGraphicPoints, DicomVR.US, (ushort)5);
        item.AddOrUpdate(DicomTags.GraphicData, DicomVR.FL, box.ToClosedPolyline());
        item.AddOrUpdate(DicomTags.GraphicType, DicomVR.CS, "POLYLINE");
        // C.10.5.1.2: Graphic Filled is required for a closed polyline (first point equals last).
        item.AddOrUpdate(DicomTags.GraphicFilled, DicomVR.CS, "N");
        return item;
    }

    /// <summary>
    /// The label in a bounding box just above the box (below it when the box touches the top, inside the image
    /// either way), its height a 32nd of the shorter image side, its width estimated from the text.
    /// </summary>
    private static void WriteTextObject(DicomDataset item, PresentationAnnotation annotation, int columns, int rows)
    {
        var height = Math.Max(8.0, Math.Min(columns, rows) / 32.0);
        var width = Math.Min(columns, (Math.Max(annotation.Label.Length, 1) * 0.6 * height) + (height / 2));
        var box = annotation.Box;
        var left = Math.Clamp(box.X1, 0, columns - width);
        var top = box.Y1 - height >= 0 ? box.Y1 - height : box.Y2 + height <= rows ? box.Y2 : box.Y1;
        var bottom = Math.Min(rows, top + height);
        item.AddOrUpdate(DicomTags.BoundingBoxAnnotationUnits, DicomVR.CS, "PIXEL");
        item.AddOrUpdate(DicomTags.UnformattedTextValue, DicomVR.ST, annotation.Label);
        item.AddOrUpdate(DicomTags.BoundingBoxTopLeftHandCorner, DicomVR.FL, (float)left, (float)top);
        item.AddOrUpdate(DicomTags.BoundingBoxBottomRightHandCorner, DicomVR.FL, (float)(left + width), (float)bottom);
        item.AddOrUpdate(DicomTags.BoundingBoxTextHorizontalJustification, DicomVR.CS, "LEFT");
    }
}
