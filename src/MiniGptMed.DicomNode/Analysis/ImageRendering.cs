using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Lut;

namespace MiniGptMed.DicomNode.Analysis;

/// <summary>Renders a planned frame through the toolkit's PS3.4 Annex N pipeline and says which VOI it applied.</summary>
internal static class ImageRendering
{
    /// <exception cref="AnalysisInputException">The frame cannot be decoded or windowed; names the file.</exception>
    public static RenderedImage Render(PlannedImage planned)
    {
        ArgumentNullException.ThrowIfNull(planned);
        var instance = planned.Instance;
        var pixels = ImagePlanner.PixelData(instance);
        try
        {
            var image = DicomImageRenderer.Render(pixels, planned.FrameIndex, planned.Window).WithSource(planned.Source);
            if (!pixels.Info.Photometric.IsMonochrome)
            {
                return new RenderedImage(planned, image, null, null);
            }

            var (window, note) = Applied(pixels, planned);
            return new RenderedImage(planned, image, window, note);
        }
        catch (Exception ex) when (ex is DicomImagingException or DicomDataException)
        {
            throw new AnalysisInputException(instance.Path, $"frame {planned.FrameIndex + 1} cannot be rendered: {ex.Message}", ex);
        }
    }

    // The same resolution DicomImageRenderer makes (WindowPreset.Resolve), repeated to name the result: a fixed
    // preset, the file's own window, or the auto range (whose frame is decoded once more; only for auto).
    private static (AppliedWindow? Window, string? Note) Applied(DicomPixelData pixels, PlannedImage planned)
    {
        var dataset = pixels.Dataset;
        var function = VoiTransform.ParseFunction(dataset.GetString(DicomTags.VOILUTFunction));
        var datasetVoi = DicomImageRenderer.ReadDatasetVoi(dataset);
        var voi = planned.Window.ResolveWithoutPixels(datasetVoi, function)
            ?? AutoWindow.Compute(pixels.DecodeFrame(planned.FrameIndex), DicomImageRenderer.ReadModalityLut(dataset, pixels.Info.IsSigned));
        var what = planned.Window.Kind switch
        {
            WindowPresetKind.Fixed => $"window {planned.Window.Name}",
            WindowPresetKind.Dataset when datasetVoi is not null => "the data set's own window",
            WindowPresetKind.Dataset => "auto window (the data set has none)",
            _ => "auto window",
        };
        return voi switch
        {
            WindowVoi w => (new AppliedWindow(w.Center, w.Width, FunctionTerm(w.Function), what), null),
            // PS3.3 C.11.2.1.3.2: LINEAR_EXACT with center (min+max)/2 and width max-min maps min to 0 and max to 1,
            // which is what the auto range does.
            RangeVoi r => (new AppliedWindow((r.Minimum + r.Maximum) / 2, Math.Max(r.Maximum - r.Minimum, 1), "LINEAR_EXACT", what), null),
            _ => (null, "the data set's own VOI LUT table (not repeated in the presentation state)"),
        };
    }

    private static string FunctionTerm(VoiFunction function) => function switch
    {
        VoiFunction.Sigmoid => "SIGMOID",
        VoiFunction.LinearExact => "LINEAR_EXACT",
        _ => "LINEAR",
    };
}
