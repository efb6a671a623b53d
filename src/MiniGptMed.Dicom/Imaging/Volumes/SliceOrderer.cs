namespace MiniGptMed.Dicom.Imaging.Volumes;

/// <summary>
/// Orders a series' slices by their position along the slice normal (PS3.3 C.7.6.2.1.1: Image Position is the
/// centre of the first voxel; the normal is the cross product of the row and column direction cosines), never by
/// Instance Number, and leaves out what does not belong: localizers, images without geometry, images of another
/// orientation or of another ImageType than most of the series.
/// </summary>
public static class SliceOrderer
{
    // Direction cosines of slices of one stack agree to rounding; 1e-3 is about 0.06 degrees.
    private const double OrientationTolerance = 1e-3;

    public static SliceVolume Order(IEnumerable<SliceGeometry> slices)
    {
        ArgumentNullException.ThrowIfNull(slices);
        var excluded = new List<ExcludedSlice>();
        var candidates = new List<SliceGeometry>();
        foreach (var slice in slices)
        {
            if (slice.ImageType.Any(v => string.Equals(v, "LOCALIZER", StringComparison.OrdinalIgnoreCase)))
            {
                excluded.Add(new ExcludedSlice(slice, "ImageType says LOCALIZER"));
            }
            else if (slice.ImagePositionPatient is null || slice.ImageOrientationPatient is null)
            {
                excluded.Add(new ExcludedSlice(slice, "no Image Position/Orientation (Patient)"));
            }
            else
            {
                candidates.Add(slice);
            }
        }

        if (candidates.Count == 0)
        {
            return new SliceVolume([], excluded, [0, 0, 1]);
        }

        // The stack is the most common orientation (ties: the first seen); other orientations do not belong.
        var orientation = candidates
            .GroupBy(c => c.ImageOrientationPatient!, OrientationComparer.Instance)
            .OrderByDescending(g => g.Count())
            .First().Key;
        var typeKey = candidates
            .Where(c => OrientationComparer.Instance.Equals(c.ImageOrientationPatient, orientation))
            .GroupBy(TypeKey, StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(g => g.Count())
            .First().Key;
        var normal = Normal(orientation);
        var kept = new List<OrderedSlice>();
        foreach (var slice in candidates)
        {
            if (!OrientationComparer.Instance.Equals(slice.ImageOrientationPatient, orientation))
            {
                excluded.Add(new ExcludedSlice(slice, "orientation differs from the rest of the series"));
            }
            else if (!string.Equals(TypeKey(slice), typeKey, StringComparison.OrdinalIgnoreCase))
            {
                excluded.Add(new ExcludedSlice(slice, $"ImageType {string.Join('\\', slice.ImageType)} differs from the series' {typeKey}"));
            }
            else
            {
                var p = slice.ImagePositionPatient!;
                kept.Add(new OrderedSlice(slice, (p[0] * normal[0]) + (p[1] * normal[1]) + (p[2] * normal[2])));
            }
        }

        // Stable sort: equal positions keep their input order; the SOP Instance UID breaks remaining ties reproducibly.
        var ordered = kept
            .OrderBy(s => s.Position)
            .ThenBy(s => s.Geometry.SopInstanceUid, StringComparer.Ordinal)
            .ThenBy(s => s.Geometry.FrameNumber)
            .ToList();
        return new SliceVolume(ordered, excluded, normal);
    }

    public static double[] Normal(double[] orientation)
    {
        ArgumentNullException.ThrowIfNull(orientation);
        double rx = orientation[0], ry = orientation[1], rz = orientation[2];
        double cx = orientation[3], cy = orientation[4], cz = orientation[5];
        return [(ry * cz) - (rz * cy), (rz * cx) - (rx * cz), (rx * cy) - (ry * cx)];
    }

    // PS3.3 C.7.6.1.1.2: value 1 ORIGINAL/DERIVED, value 3 the kind of image (AXIAL, MIP, ...); value 2 may vary.
    private static string TypeKey(SliceGeometry slice) =>
        $"{(slice.ImageType.Count > 0 ? slice.ImageType[0] : "")}\\{(slice.ImageType.Count > 2 ? slice.ImageType[2] : "")}";

    private sealed class OrientationComparer : IEqualityComparer<double[]?>
    {
        public static readonly OrientationComparer Instance = new();

        public bool Equals(double[]? x, double[]? y)
        {
            if (x is null || y is null)
            {
                return x is null && y is null;
            }

            for (var i = 0; i < 6; i++)
            {
                if (Math.Abs(x[i] - y[i]) > OrientationTolerance)
                {
                    return false;
                }
            }

            return true;
        }

        // Coarse buckets so that near-equal orientations usually hash alike; Equals decides.
        public int GetHashCode(double[]? obj) =>
            obj is null ? 0 : HashCode.Combine(Math.Round(obj[0], 1), Math.Round(obj[1], 1), Math.Round(obj[4], 1), Math.Round(obj[5], 1));
    }
}
