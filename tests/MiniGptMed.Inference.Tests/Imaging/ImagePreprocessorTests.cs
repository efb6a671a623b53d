using MiniGptMed.Inference.Imaging;
using MiniGptMed.Inference.Tests.Support;

namespace MiniGptMed.Inference.Tests.Imaging;

[Collection(EngineCollection.Name)]
public sealed class ImagePreprocessorTests(EngineFixture fixture)
{
    [Fact]
    public void Process_NonSquareImage_MatchesPillowBicubicAndClipNormalisation()
    {
        var g = Goldens.SmallModel.Preprocess;
        var pre = new ImagePreprocessor(fixture.Engine.Manifest.Image);
        var actual = new float[g.PixelValues.Length];
        pre.Process(new RgbImage(g.Width, g.Height, Convert.FromBase64String(g.Rgb)), actual);
        // Same 8-bit values as Pillow, then the same float32 arithmetic: equal to the printed precision.
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - g.PixelValues[i]) < 1e-4, $"pixel value {i}: {actual[i]} != {g.PixelValues[i]}");
        }
    }

    [Fact]
    public void Resize_Downscale_AveragesInsteadOfSkippingPixels()
    {
        // A 1-pixel checkerboard shrunk 4x: Pillow's widened (antialiased) kernel gives mid grey, not a sample of it.
        const int w = 64;
        var rgb = new byte[w * w * 3];
        for (int y = 0; y < w; y++)
        {
            for (int x = 0; x < w; x++)
            {
                var v = (byte)(((x + y) & 1) == 0 ? 255 : 0);
                rgb[(((y * w) + x) * 3) + 0] = rgb[(((y * w) + x) * 3) + 1] = rgb[(((y * w) + x) * 3) + 2] = v;
            }
        }

        var small = BicubicResampler.Resize(rgb, w, w, 16, 16);
        var centre = small[((8 * 16) + 8) * 3];
        Assert.InRange(centre, 120, 135);
    }

    [Fact]
    public void FromGray_ReplicatesIntoRgb()
    {
        var img = RgbImage.FromGray(2, 1, [10, 200]);
        Assert.Equal(new byte[] { 10, 10, 10, 200, 200, 200 }, img.Pixels);
    }
}
