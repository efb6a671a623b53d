using MiniGptMed.Dicom.Composition;

namespace MiniGptMed.DicomNode.Validation;

/// <summary>One labelled box's outcome: the predicted box it was paired with (index, or -1) and their IoU (0 when unpaired).</summary>
internal readonly record struct BoxPairing(int Predicted, double Iou);

/// <summary>The outcome of matching an image's predicted boxes to its labelled boxes one to one.</summary>
/// <param name="Labelled">Per labelled box, in label order.</param>
/// <param name="Matched">Labelled boxes paired at IoU at or above the threshold.</param>
/// <param name="FalseBoxes">Predicted boxes not paired at or above the threshold (false positives).</param>
internal sealed record BoxMatch(IReadOnlyList<BoxPairing> Labelled, int Matched, int FalseBoxes);

/// <summary>
/// Intersection over union and one-to-one matching of boxes in source pixels. The matching is greedy on IoU, highest
/// pair first (as the PASCAL VOC and COCO evaluations assign detections): each labelled box takes at most one
/// predicted box and each predicted box counts for at most one labelled box, so one big box over two lesions matches
/// one of them, not both, and a lesion answered twice leaves one false box.
/// </summary>
internal static class BoxMatching
{
    public const double DefaultThreshold = 0.5;

    /// <summary>Area of the intersection over area of the union; 0 when either box has no area.</summary>
    public static double Iou(PixelRectangle a, PixelRectangle b)
    {
        var ix = Math.Max(0, Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1));
        var iy = Math.Max(0, Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1));
        var inter = ix * iy;
        var union = Area(a) + Area(b) - inter;
        return union > 0 ? inter / union : 0;
    }

    public static BoxMatch Match(IReadOnlyList<PixelRectangle> labelled, IReadOnlyList<PixelRectangle> predicted, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(labelled);
        ArgumentNullException.ThrowIfNull(predicted);
        var pairs = new List<(double Iou, int L, int P)>();
        for (var l = 0; l < labelled.Count; l++)
        {
            for (var p = 0; p < predicted.Count; p++)
            {
                var v = Iou(labelled[l], predicted[p]);
                if (v > 0)
                {
                    pairs.Add((v, l, p));
                }
            }
        }

        // Highest IoU first; ties by label then prediction order, so the result never depends on the sort's stability.
        pairs.Sort((x, y) => y.Iou != x.Iou ? y.Iou.CompareTo(x.Iou) : x.L != y.L ? x.L.CompareTo(y.L) : x.P.CompareTo(y.P));
        var result = Enumerable.Repeat(new BoxPairing(-1, 0), labelled.Count).ToArray();
        var usedPredicted = new bool[predicted.Count];
        foreach (var (iou, l, p) in pairs)
        {
            if (result[l].Predicted >= 0 || usedPredicted[p])
            {
                continue;
            }

            result[l] = new BoxPairing(p, iou);
            usedPredicted[p] = true;
        }

        var matched = result.Count(r => r.Iou >= threshold);
        return new BoxMatch(result, matched, predicted.Count - matched);
    }

    private static double Area(PixelRectangle r) => Math.Max(0, r.X2 - r.X1) * Math.Max(0, r.Y2 - r.Y1);
}
