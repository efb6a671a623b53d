#:project ../src/MiniGptMed.Dicom/MiniGptMed.Dicom.csproj
#:property Configuration=Release
// Measures the private dictionary: the one-time parse of the generated table at first lookup, then
// lookups. Run: dotnet run tools/bench_private_dictionary.cs
using System.Diagnostics;
using MiniGptMed.Dicom.Data;

var tag = new DicomTag(0x0019, 0x1060);
var watch = Stopwatch.StartNew();
var entry = DicomPrivateDictionary.Find("GEMS_ACQU_01", tag);
Console.WriteLine($"first lookup (parses {DicomPrivateDictionary.Count} entries): {watch.Elapsed.TotalMilliseconds:F1} ms -> {entry}");

string[] creators = ["GEMS_ACQU_01", "SIEMENS CSA HEADER ", "NO SUCH VENDOR", "PAPYRUS 3.0"];
DicomTag[] tags = [tag, new(0x0029, 0x1010), new(0x0019, 0x1060), new(0x6001, 0x1010)];
const int N = 10_000_000;
var found = 0;
for (var round = 0; round < 2; round++)
{
    watch.Restart();
    for (var i = 0; i < N; i++)
    {
        found += DicomPrivateDictionary.Find(creators[i & 3], tags[i & 3]) is null ? 0 : 1;
    }
}

Console.WriteLine($"lookup: {watch.Elapsed.TotalNanoseconds / N:F1} ns each ({found / 2} of {N} found; {GC.GetAllocatedBytesForCurrentThread()} bytes allocated in all)");
