using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.Imaging.Volumes;

namespace MiniGptMed.DicomNode.Analysis;

/// <summary>
/// Chooses the frames of a study that go to the model (MODEL.md: the model is 2D, a volume is reduced to chosen
/// slices). Per series: single-frame images with Image Position/Orientation form a volume ordered along its normal
/// (<see cref="SliceOrderer"/>, localizers and odd orientations left out) and reduced by the selection; each
/// multi-frame instance is a volume of its frames in frame order, reduced the same way; projection images (no
/// geometry: DX, CR, MG, a colour ultrasound frame) are each analysed, since every view of a radiograph series is
/// its own image and not a slice of one volume.
/// </summary>
internal static class ImagePlanner
{
    /// <param name="window">A window for every image; null for <see cref="WindowDefaults"/> per modality.</param>
    /// <exception cref="AnalysisInputException">A chosen image's pixel description cannot be read; names the file.</exception>
    public static AnalysisPlan Plan(SourceStudy study, SliceSelection selection, WindowPreset? window)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(selection);
        var notes = new List<string>(study.Notes);
        var images = new List<PlannedImage>();
        foreach (var series in study.Series)
        {
            var singles = series.Instances.Where(i => !i.IsMultiFrame).ToList();
            var byUid = singles.ToDictionary(i => i.SopInstanceUid, StringComparer.Ordinal);
            var geometries = singles.Select(i => SliceGeometry.FromDataset(i.Dataset)).ToList();
            if (geometries.Any(g => g.ImagePositionPatient is not null && g.ImageOrientationPatient is not null))
            {
                var volume = SliceOrderer.Order(geometries);
                foreach (var excluded in volume.Excluded)
                {
                    notes.Add($"{byUid[excluded.Geometry.SopInstanceUid].Path}: left out of series {series.SeriesInstanceUid}, {excluded.Reason}");
                }

                foreach (var slice in selection.Select(volume))
                {
                    images.Add(Planned(series, byUid[slice.Geometry.SopInstanceUid], 0, window));
                }
            }
            else
            {
                foreach (var instance in singles.OrderBy(i => i.InstanceNumber ?? int.MaxValue).ThenBy(i => i.SopInstanceUid, StringComparer.Ordinal))
                {
                    images.Add(Planned(series, instance, 0, window));
                }
            }

            foreach (var instance in series.Instances.Where(i => i.IsMultiFrame)
                         .OrderBy(i => i.InstanceNumber ?? int.MaxValue).ThenBy(i => i.SopInstanceUid, StringComparer.Ordinal))
            {
                var frames = Enumerable.Range(0, instance.NumberOfFrames)
                    .Select(f => new OrderedSlice(
                        new SliceGeometry(instance.SopInstanceUid, instance.SopClassUid, null, null, [], 0, 0, null, f + 1), f))
                    .ToList();
                foreach (var frame in selection.Select(new SliceVolume(frames, [], [0, 0, 1])))
                {
                    images.Add(Planned(series, instance, frame.Geometry.FrameNumber - 1, window));
                }
            }
        }

        return new AnalysisPlan(study, images, notes);
    }

    private static PlannedImage Planned(SourceSeries series, SourceInstance instance, int frameIndex, WindowPreset? window)
    {
        var pixels = PixelData(instance);
        var source = DicomImageRenderer.SourceOf(instance.Dataset, pixels.Info, frameIndex);
        return new PlannedImage(series, instance, frameIndex, source, window ?? WindowDefaults.For(instance));
    }

    /// <summary>The instance's pixel description, checked (photometric interpretation, sizes) before the model runs.</summary>
    public static DicomPixelData PixelData(SourceInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        try
        {
            return DicomPixelData.Create(instance.Dataset, instance.File.TransferSyntax.Uid);
        }
        catch (Exception ex) when (ex is DicomImagingException or DicomDataException)
        {
            throw new AnalysisInputException(instance.Path, ex.Message, ex);
        }
    }
}
