using System.Diagnostics;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Json;
using MiniGptMed.Dicom.Tests.Support;

namespace MiniGptMed.Dicom.Tests.IO;

/// <summary>
/// Mutates real files (bit flips, overwritten lengths, truncation, spliced bytes) and reads each one
/// in full: the only acceptable failure is a DicomFormatException. Seeded, bounded in count and time.
/// </summary>
public sealed class DicomFileReaderFuzzTests
{
    private const int Cases = 4000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(40);

    [Fact]
    public void Read_MutatedCorpusFiles_OnlyEverThrowsDicomFormatException()
    {
        var seeds = TestPaths.CorpusFiles()
            .Where(f => new FileInfo(f).Length < 200_000)
            .Select(File.ReadAllBytes)
            .ToList();
        Assert.NotEmpty(seeds);

        var random = new Random(20261128);
        var clock = Stopwatch.StartNew();
        int read = 0, rejected = 0, run = 0;
        for (; run < Cases && clock.Elapsed < Budget; run++)
        {
            var mutated = Mutate(seeds[random.Next(seeds.Count)], random);
            try
            {
                var file = DicomFileReader.Read(new MemoryStream(mutated));
                DicomJsonWriter.Write(file.Dataset, new DicomJsonOptions { WriteInvalidNumbersAsStrings = true });
                read++;
            }
            catch (DicomFormatException)
            {
                rejected++;
            }
            catch (Exception ex)
            {
                var path = Path.Combine(Path.GetTempPath(), $"fuzz-case-{run}.dcm");
                File.WriteAllBytes(path, mutated);
                Assert.Fail($"case {run} threw {ex.GetType().Name}: {ex.Message} (input saved to {path})\n{ex.StackTrace}");
            }
        }

        Assert.True(run >= 500, $"only {run} cases ran in the time budget");
        Assert.True(read > 0 && rejected > 0, $"mutations should both pass and fail: {read} read, {rejected} rejected");
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        var kind = random.Next(5);
        switch (kind)
        {
            case 0:
                for (var i = 0; i < 1 + random.Next(8); i++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case 1:
                // A large or undefined length written over what may be a length field.
                var at = random.Next(132, Math.Max(133, bytes.Length - 4));
                var value = random.Next(4) switch { 0 => 0xFFFFFFFFu, 1 => 0xFFFFFFF0u, 2 => 0x7FFFFFFFu, _ => (uint)random.Next() };
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(Math.Min(at, bytes.Length - 4)), value);
                return bytes;
            case 2:
                return bytes[..random.Next(bytes.Length)];
            case 3:
                // Splice a block of the file onto another place: plausible headers in wrong places.
                var from = random.Next(bytes.Length);
                var to = random.Next(bytes.Length);
                var count = Math.Min(random.Next(1, 64), Math.Min(bytes.Length - from, bytes.Length - to));
                Array.Copy(original, from, bytes, to, count);
                return bytes;
            default:
                var start = random.Next(bytes.Length);
                for (var i = start; i < Math.Min(bytes.Length, start + random.Next(1, 32)); i++)
                {
                    bytes[i] = (byte)random.Next(256);
                }

                return bytes;
        }
    }
}
