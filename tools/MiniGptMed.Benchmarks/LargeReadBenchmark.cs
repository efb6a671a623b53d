using System.Diagnostics;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.IO;

namespace MiniGptMed.Benchmarks;

/// <summary>
/// Peak memory while reading a large instance: writes a (sparse) file with an N MB Pixel Data value,
/// reads it, streams its pixel data through a checksum frame by frame, and reports peak RSS (VmHWM)
/// and the managed heap.
/// </summary>
internal static class LargeReadBenchmark
{
    public static int Run(string[] args)
    {
        var sizeMb = args.Length > 1 && args[0] == "--size-mb" ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1024;
        var path = Path.Combine(Path.GetTempPath(), $"minigptmed-large-{Environment.ProcessId}.dcm");
        try
        {
            var pixelBytes = sizeMb << 20;
            WriteSparse(path, pixelBytes);
            var rssBefore = PeakRssMb();
            var clock = Stopwatch.StartNew();
            var file = DicomFile.Open(path);
            var pixels = (DicomValueElement)file.Dataset.GetElement(DicomTags.PixelData)!;
            var frame = new byte[512 * 512 * 2];
            long sum = 0;
            for (long offset = 0; offset + frame.Length <= pixels.Length; offset += frame.Length)
            {
                pixels.Buffer.Read(offset, frame);
                sum += frame[0];
            }

            clock.Stop();
            Console.WriteLine($"read {sizeMb} MB instance and streamed its frames in {clock.Elapsed.TotalSeconds:F1} s; " +
                $"peak RSS {PeakRssMb():F0} MB (before reading {rssBefore:F0} MB); managed heap {GC.GetTotalMemory(false) / 1e6:F1} MB; checksum {sum}");
            return 0;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double PeakRssMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
            }
        }

        return double.NaN;
    }

    private static void WriteSparse(string path, long pixelBytes)
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, DicomUid.CTImageStorage.Value)
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, DicomUidGenerator.Generate())
            .AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)512)
            .AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)512)
            .AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)16)
            .AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, pixelBytes / (512 * 512 * 2));
        var file = new DicomFile(DicomFileWriter.BuildFileMetaInformation(dataset, DicomTransferSyntax.ExplicitVRLittleEndian), dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
        using var stream = File.Create(path);
        file.Save(stream);
        var header = new byte[12];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header, 0x00107FE0);
        header[4] = (byte)'O';
        header[5] = (byte)'W';
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)pixelBytes);
        stream.Write(header);
        stream.SetLength(stream.Position + pixelBytes);
    }
}
