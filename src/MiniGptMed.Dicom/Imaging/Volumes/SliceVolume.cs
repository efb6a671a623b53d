namespace MiniGptMed.Dicom.Imaging.Volumes;

/// <summary>A slice in volume order, with its position (mm) along the slice normal.</summary>
public sealed record OrderedSlice(SliceGeometry Geometry, double Position)
{
    public SourceReference Source => Geometry.ToSourceReference();
}

/// <summary>An image left out of the volume, and why.</summary>
public sealed record ExcludedSlice(SliceGeometry Geometry, string Reason);

/// <summary>A series' slices ordered along the normal of their common orientation, and those left out.</summary>
public sealed record SliceVolume(IReadOnlyList<OrderedSlice> Slices, IReadOnlyList<ExcludedSlice> Excluded, double[] Normal);
