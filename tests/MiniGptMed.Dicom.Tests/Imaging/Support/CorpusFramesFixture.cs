using System.Text.Json;
using MiniGptMed.Dicom.Imaging;

namespace MiniGptMed.Dicom.Tests.Imaging.Support;

/// <summary>
/// pydicom's test corpus (Debian python3-pydicom), split into frames by corpus_fixture.py, each with a reference
/// decoding by GDCM or DCMTK unpacked by pydicom: built once per test run into a temporary folder.
/// </summary>
public sealed class CorpusFramesFixture : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public CorpusFramesFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "minigptmed-imaging-corpus-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        ExternalProcess.Run(TestPaths.Python, FixtureScripts.Path("corpus_fixture.py"), Directory);
        Entries = JsonSerializer.Deserialize<List<CorpusEntry>>(File.ReadAllText(Path.Combine(Directory, "manifest.json")), Json)
            ?? throw new InvalidOperationException("empty manifest");
        foreach (var entry in Entries)
        {
            entry.Folder = Path.Combine(Directory, entry.Name);
        }
    }

    public string Directory { get; }

    public IReadOnlyList<CorpusEntry> Entries { get; }

    public CorpusEntry this[string name] => Entries.Single(e => e.Name == name);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class CorpusCollection : ICollectionFixture<CorpusFramesFixture>
{
    public const string Name = "pydicom corpus";
}

public sealed class CorpusEntry
{
    public string Name { get; set; } = "";

    public string Path { get; set; } = "";

    public string TransferSyntax { get; set; } = "";

    public CorpusInfo Info { get; set; } = new();

    public List<string> FrameFiles { get; set; } = [];

    public string? NativeFile { get; set; }

    public bool BigEndian { get; set; }

    public string? RefTool { get; set; }

    public CorpusInfo? Ref { get; set; }

    public string Folder { get; set; } = "";

    public bool IsNative => NativeFile is not null;

    public byte[] Native => File.ReadAllBytes(System.IO.Path.Combine(Folder, NativeFile!));

    public byte[] Frame(int index) => File.ReadAllBytes(System.IO.Path.Combine(Folder, FrameFiles[index]));

    /// <summary>Reference samples of every frame, interleaved, as int32.</summary>
    public int[] ReferenceSamples()
    {
        var bytes = File.ReadAllBytes(System.IO.Path.Combine(Folder, "ref.bin"));
        var samples = new int[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 4);
        return samples;
    }

    public override string ToString() => Name;
}

public sealed class CorpusInfo
{
    public int Rows { get; set; }

    public int Columns { get; set; }

    public int SamplesPerPixel { get; set; }

    public int BitsAllocated { get; set; }

    public int BitsStored { get; set; }

    public int HighBit { get; set; }

    public int PixelRepresentation { get; set; }

    public int PlanarConfiguration { get; set; }

    public string Photometric { get; set; } = "";

    public int Frames { get; set; }

    public string SopInstanceUid { get; set; } = "";

    public string SopClassUid { get; set; } = "";

    public string Modality { get; set; } = "";

    public double? WindowCenter { get; set; }

    public double? WindowWidth { get; set; }

    public double? RescaleSlope { get; set; }

    public double? RescaleIntercept { get; set; }

    public PixelDataInfo ToPixelDataInfo() => new()
    {
        Rows = Rows,
        Columns = Columns,
        SamplesPerPixel = SamplesPerPixel,
        BitsAllocated = BitsAllocated,
        BitsStored = BitsStored,
        HighBit = HighBit,
        IsSigned = PixelRepresentation == 1,
        PlanarConfiguration = PlanarConfiguration,
        Photometric = PhotometricInterpretation.Parse(Photometric),
        NumberOfFrames = Frames,
        SopInstanceUid = SopInstanceUid,
    };
}
