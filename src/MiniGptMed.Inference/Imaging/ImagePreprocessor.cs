using MiniGptMed.Inference.Model;

namespace MiniGptMed.Inference.Imaging;

/// <summary>
/// MiniGPT-Med's evaluation transform (MODEL.md "Preprocessing"): bicubic resize to SxS, stretched
/// (aspect ratio not kept), scale to [0,1], normalise per channel; output planar CHW floats.
/// </summary>
internal sealed class ImagePreprocessor
{
    private readonly int _size;
    private readonly float[] _mean;
    private readonly float[] _std;

    public ImagePreprocessor(ManifestImage image)
    {
        _size = image.Size;
        _mean = image.Mean;
        _std = image.Std;
    }

    public int Size => _size;

    /// <summary>Writes 3*S*S floats for <paramref name="image"/> into <paramref name="destination"/>.</summary>
    public void Process(RgbImage image, Span<float> destination)
    {
        var plane = _size * _size;
        if (destination.Length < 3 * plane)
        {
            throw new ArgumentException("destination too small", nameof(destination));
        }

        var rgb = image.Width == _size && image.Height == _size
            ? image.Pixels
            : BicubicResampler.Resize(image.Pixels, image.Width, image.Height, _size, _size);
        for (int c = 0; c < 3; c++)
        {
            float mean = _mean[c], std = _std[c];
            var dst = destination.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++)
            {
                dst[i] = ((rgb[(3 * i) + c] / 255f) - mean) / std;
            }
        }
    }
}
