namespace MiniGptMed.Dicom.Tests.Support;

/// <summary>
/// The source images of the result writers' validation tests (issue #9), made once per test run by
/// tools/make_results_inputs.py into a temporary folder that is removed when the run ends.
/// </summary>
public sealed class ResultsInputs
{
    private static readonly Lazy<Task<ResultsInputs>> Shared = new(CreateAsync);

    private ResultsInputs(string directory) => Directory = directory;

    /// <summary>The file names the script writes, one per kind of source.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["dx_mono2.dcm", "dx_mono1.dcm", "ct_signed.dcm", "mf_grayscale.dcm", "us_jpeg.dcm", "dx_nonsquare.dcm"];

    public string Directory { get; }

    /// <summary>DX chest PA, 3000 x 2500, 12 of 16 bits, MONOCHROME2, Pixel Spacing, Procedure Code Sequence.</summary>
    public string DxMonochrome2 => this["dx_mono2.dcm"];

    /// <summary>The same radiograph as MONOCHROME1 (Presentation LUT Shape INVERSE).</summary>
    public string DxMonochrome1 => this["dx_mono1.dcm"];

    /// <summary>Signed CT slice 512 x 512, Rescale Intercept -1024, two windows; patient name in ISO 2022 IR 87.</summary>
    public string CtSigned => this["ct_signed.dcm"];

    /// <summary>Multi-frame Grayscale Word Secondary Capture, 3 frames.</summary>
    public string MultiFrame => this["mf_grayscale.dcm"];

    /// <summary>RGB ultrasound-like Secondary Capture, JPEG baseline, YBR_FULL_422, Modality US.</summary>
    public string UltrasoundJpeg => this["us_jpeg.dcm"];

    /// <summary>DX 400 rows x 640 columns with Pixel Spacing 0.5\0.8.</summary>
    public string NonSquare => this["dx_nonsquare.dcm"];

    /// <summary>Every file, in the order of <see cref="Names"/>.</summary>
    public IEnumerable<string> All => Names.Select(name => this[name]);

    public string this[string name] =>
        Names.Contains(name, StringComparer.Ordinal)
            ? Path.Combine(Directory, name)
            : throw new ArgumentException($"No results input named '{name}'; known: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>The files of this test run, made on the first call.</summary>
    public static Task<ResultsInputs> GetAsync() => Shared.Value;

    private static async Task<ResultsInputs> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "minigptmed-results-inputs-" + Guid.NewGuid().ToString("N"));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort at exit; the folder is under the system temp directory.
            }
        };
        await ExternalProcess.RunCheckedAsync(TestPaths.Python, [TestPaths.Tool("make_results_inputs.py"), directory], TimeSpan.FromMinutes(2));
        var inputs = new ResultsInputs(directory);
        var missing = Names.Where(name => !File.Exists(inputs[name])).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"make_results_inputs.py did not write {string.Join(", ", missing)} into {directory}.");
        }

        return inputs;
    }
}
