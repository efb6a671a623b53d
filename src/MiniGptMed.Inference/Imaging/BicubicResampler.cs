namespace MiniGptMed.Inference.Imaging;

/// <summary>
/// Bicubic resize of 8-bit images with the arithmetic of Pillow's Image.resize(BICUBIC), which is what
/// torchvision's Resize does to the PIL images MiniGPT-Med was trained and evaluated on: a separable
/// filter (a = -0.5) whose support widens by the scale factor when shrinking (antialiasing),
/// fixed-point coefficients with 22 fractional bits, a horizontal pass then a vertical one, each
/// rounded and clipped to 8 bits. Matching it keeps pixel values equal to the reference's.
/// </summary>
internal static class BicubicResampler
{
    private const int PrecisionBits = 32 - 8 - 2;
    private const double Support = 2.0;

    public static byte[] Resize(ReadOnlySpan<byte> rgb, int width, int height, int outWidth, int outHeight)
    {
        byte[] current = rgb.ToArray();
        int curW = width;
        if (outWidth != width)
        {
            var (bounds, kernel, ksize) = Coefficients(width, outWidth);
            var tmp = new byte[outWidth * height * 3];
            for (int y = 0; y < height; y++)
            {
                int row = y * width * 3;
                for (int x = 0; x < outWidth; x++)
                {
                    int min = bounds[2 * x], n = bounds[(2 * x) + 1], k0 = x * ksize;
                    for (int c = 0; c < 3; c++)
                    {
                        int acc = 1 << (PrecisionBits - 1);
                        for (int i = 0; i < n; i++)
                        {
                            acc += current[row + ((min + i) * 3) + c] * kernel[k0 + i];
                        }

                        tmp[(((y * outWidth) + x) * 3) + c] = Clip8(acc);
                    }
                }
            }

            current = tmp;
            curW = outWidth;
        }

        if (outHeight != height)
        {
            var (bounds, kernel, ksize) = Coefficients(height, outHeight);
            var tmp = new byte[curW * outHeight * 3];
            for (int y = 0; y < outHeight; y++)
            {
                int min = bounds[2 * y], n = bounds[(2 * y) + 1], k0 = y * ksize;
                for (int x = 0; x < curW * 3; x++)
                {
                    int acc = 1 << (PrecisionBits - 1);
                    for (int i = 0; i < n; i++)
                    {
                        acc += current[((min + i) * curW * 3) + x] * kernel[k0 + i];
                    }

                    tmp[(y * curW * 3) + x] = Clip8(acc);
                }
            }

            current = tmp;
        }

        return current;
    }

    private static byte Clip8(int value)
    {
        if (value >= (1 << PrecisionBits << 8))
        {
            return 255;
        }

        return value <= 0 ? (byte)0 : (byte)(value >> PrecisionBits);
    }

    private static double Filter(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1.0)
        {
            return ((((a + 2.0) * x) - (a + 3.0)) * x * x) + 1;
        }

        return x < 2.0 ? ((((x - 5) * x) + 8) * x - 4) * a : 0.0;
    }

    /// <summary>Per output pixel: first input index, tap count and fixed-point weights (Pillow's precompute_coeffs).</summary>
    private static (int[] Bounds, int[] Kernel, int KSize) Coefficients(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = Support * filterScale;
        int ksize = ((int)Math.Ceiling(support) * 2) + 1;
        var bounds = new int[outSize * 2];
        var kernel = new int[outSize * ksize];
        var weights = new double[ksize];
        for (int xx = 0; xx < outSize; xx++)
        {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = Math.Max((int)(center - support + 0.5), 0);
            int xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            double total = 0;
            for (int x = 0; x < xmax; x++)
            {
                double w = Filter((x + xmin - center + 0.5) * ss);
                weights[x] = w;
                total += w;
            }

            for (int x = 0; x < xmax; x++)
            {
                double w = total != 0.0 ? weights[x] / total : weights[x];
                kernel[(xx * ksize) + x] = w < 0 ? (int)(-0.5 + (w * (1 << PrecisionBits))) : (int)(0.5 + (w * (1 << PrecisionBits)));
            }

            bounds[2 * xx] = xmin;
            bounds[(2 * xx) + 1] = xmax;
        }

        return (bounds, kernel, ksize);
    }
}
