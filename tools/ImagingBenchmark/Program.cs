using System.Diagnostics;
using System.Globalization;
using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.IO;

// Usage: ImagingBenchmark CENTRE,WIDTH ITERATIONS FILE...
// For each file: read (Part 10), decode frame 1, Modality LUT + window to 8 bits; warm-up, then the median and
// minimum of ITERATIONS runs in milliseconds.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: ImagingBenchmark CENTRE,WIDTH ITERATIONS FILE...");
    return 2;
}

var window = WindowPreset.Parse(args[0]);
var iterations = int.Parse(args[1], CultureInfo.InvariantCulture);
foreach (var path in args[2..])
{
    byte checksum = 0;
    void Once()
    {
        var file = DicomFile.Open(path);
        var image = DicomImageRenderer.Render(DicomPixelData.Create(file.Dataset, file.TransferSyntax.Uid), 0, window);
        checksum ^= image.Pixels[image.Pixels.Length / 2];
    }

    for (var i = 0; i < 5; i++)
    {
        Once();
    }

    var times = new double[iterations];
    for (var i = 0; i < iterations; i++)
    {
        var watch = Stopwatch.StartNew();
        Once();
        times[i] = watch.Elapsed.TotalMilliseconds;
    }

    Array.Sort(times);

    // Where the time goes, measured apart: Part 10 read, decode to samples, the LUT pass to 8 bits.
    double read = 0, decode = 0;
    for (var i = 0; i < iterations; i++)
    {
        var watch = Stopwatch.StartNew();
        var file = DicomFile.Open(path);
        var pixels = DicomPixelData.Create(file.Dataset, file.TransferSyntax.Uid);
        read += watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        checksum ^= (byte)pixels.DecodeFrame(0).Samples[0];
        decode += watch.Elapsed.TotalMilliseconds;
    }

    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {Path.GetFileName(path)} breakdown (means): read {read / iterations:F2} ms, decode {decode / iterations:F2} ms"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{Path.GetFileName(path)}\tmedian {times[iterations / 2]:F2} ms\tmin {times[0]:F2} ms\t(checksum {checksum})"));
}

return 0;
