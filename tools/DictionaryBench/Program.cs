using System.Diagnostics;
using System.Globalization;
using MiniGptMed.Dicom.Data;

// Micro-benchmark of the dictionary and character set lookups the dataset reader calls per element.
// Run: dotnet run -c Release --project tools/DictionaryBench
var startup = Stopwatch.StartNew();
var patientName = DicomTags.PatientName;
var tagsInit = startup.Elapsed;
startup.Restart();
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
_ = DicomDictionary.Find(patientName);
var dictionaryBuild = startup.Elapsed;
var dictionaryCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
startup.Restart();
_ = DicomDictionary.FindByKeyword("PatientName");
var keywordBuild = startup.Elapsed;
startup.Restart();
_ = DicomUid.Find(DicomUid.CTImageStorage.Value);
var uidBuild = startup.Elapsed;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first DicomTags access (static constructor): {tagsInit.TotalMilliseconds:F1} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first Find (builds {DicomDictionary.Entries.Count} entries): {dictionaryBuild.TotalMilliseconds:F1} ms wall, {dictionaryCpu.TotalMilliseconds:F1} ms CPU (all threads, JIT included)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first FindByKeyword (builds the keyword table): {keywordBuild.TotalMilliseconds:F1} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first DicomUid.Find (builds the UID table): {uidBuild.TotalMilliseconds:F1} ms"));

DicomTag[] tags = [DicomTags.PatientName, DicomTags.PixelData, DicomTags.SOPInstanceUID, new(0x0028, 0x0010)];
Measure("DicomDictionary.Find, exact public tag", () => DicomDictionary.Find(tags[Random.Shared.Next(4)]));
Measure("DicomDictionary.DefaultVR, overlay (6002,3000)", () => DicomDictionary.DefaultVR(new DicomTag(0x6002, 0x3000)));
Measure("DicomDictionary.DefaultVR, private (0029,1010)", () => DicomDictionary.DefaultVR(new DicomTag(0x0029, 0x1010)));
Measure("DicomDictionary.DefaultVR, unknown (0010,9999)", () => DicomDictionary.DefaultVR(new DicomTag(0x0010, 0x9999)));
Measure("DicomDictionary.FindByKeyword", () => DicomDictionary.FindByKeyword("StudyInstanceUID"));
Measure("DicomUid.Find", () => DicomUid.Find("1.2.840.10008.5.1.4.1.1.2"));

var japanese = DicomCharacterSet.FromSpecificCharacterSet(["", "ISO 2022 IR 87"]);
var latin1 = DicomCharacterSet.FromSpecificCharacterSet(["ISO_IR 100"]);
var japaneseName = japanese.Encode("Yamada^Tarou=山田^太郎=やまだ^たろう", DicomVR.PN);
var latinName = latin1.Encode("Buc^Jérôme", DicomVR.PN);
var asciiName = "Doe^John"u8.ToArray();
Measure("Decode PN, ASCII only", () => latin1.Decode(asciiName, DicomVR.PN));
Measure("Decode PN, ISO_IR 100", () => latin1.Decode(latinName, DicomVR.PN));
Measure("Decode PN, ISO 2022 IR 87 (PS3.5 H.3.1)", () => japanese.Decode(japaneseName, DicomVR.PN));
Measure("Encode PN, ISO 2022 IR 87 (PS3.5 H.3.1)", () => japanese.Encode("Yamada^Tarou=山田^太郎=やまだ^たろう", DicomVR.PN));

static void Measure(string name, Func<object?> action)
{
    for (var i = 0; i < 100_000; i++)
    {
        action();
    }

    const int Iterations = 2_000_000;
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < Iterations; i++)
    {
        action();
    }

    var ns = watch.Elapsed.TotalMilliseconds * 1_000_000 / Iterations;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {ns:F1} ns/op"));
}
