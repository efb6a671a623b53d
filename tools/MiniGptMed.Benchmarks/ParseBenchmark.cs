using System.Diagnostics;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;

namespace MiniGptMed.Benchmarks;

/// <summary>
/// Parse throughput over a folder of Part 10 files, in-process, best of N runs after a warm-up run
/// (files are then in the page cache, as they are for pydicom measured the same way).
/// Two modes: "open" reads every element (pixel data left on disk, as the node does) and
/// "open+values" also decodes every header value as text.
/// </summary>
internal static class ParseBenchmark
{
    public static int Run(string[] args)
    {
        var dir = args[0];
        var repeat = args.Length > 2 && args[1] == "--repeat" ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var files = Directory.GetFiles(dir, "*.dcm");
        Array.Sort(files, StringComparer.Ordinal);
        var bytes = files.Sum(f => new FileInfo(f).Length);

        foreach (var mode in new[] { "open", "open+values", "open+pixels" })
        {
            Measure(files, mode);
            var best = double.MaxValue;
            for (var i = 0; i < repeat; i++)
            {
                best = Math.Min(best, Measure(files, mode));
            }

            Console.WriteLine($"ours {mode,-12} {files.Length} files {bytes / 1e6:F0} MB: best {best * 1000:F0} ms = {files.Length / best:F0} files/s, {bytes / 1e6 / best:F0} MB/s");
        }

        return 0;
    }

    private static double Measure(string[] files, string mode)
    {
        var clock = Stopwatch.StartNew();
        long sink = 0;
        foreach (var path in files)
        {
            var file = DicomFile.Open(path);
            sink += file.Dataset.Count;
            if (mode == "open+values")
            {
                foreach (var element in file.Dataset)
                {
                    if (element is DicomValueElement { VR.Kind: not DicomVRKind.Bulk })
                    {
                        sink += file.Dataset.GetStrings(element.Tag).Length;
                    }
                }
            }
            else if (mode == "open+pixels" && file.Dataset.GetElement(DicomTags.PixelData) is DicomValueElement pixels)
            {
                sink += pixels.Buffer.GetMemory().Length;
            }
        }

        clock.Stop();
        GC.KeepAlive(sink);
        return clock.Elapsed.TotalSeconds;
    }
}
