using System.Globalization;
using MiniGptMed.Dicom.Data;
using MiniGptMed.Dicom.Imaging;
using MiniGptMed.Dicom.Imaging.Lut;
using MiniGptMed.Dicom.IO;
using MiniGptMed.DicomNode.Imaging;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// <c>render FILE [--frame N] [--window PRESET|CENTRE,WIDTH] --out FILE.png</c>: shows an admin exactly the 8-bit
/// image the model is given (decode, Modality LUT, window, MONOCHROME1 inversion), as PNG.
/// </summary>
internal sealed class RenderCommand : ICommand
{
    public string Name => "render";

    public string Usage => "render FILE [--frame N] [--window PRESET|CENTRE,WIDTH] [--timings] --out FILE.png";

    public string Summary => "Render one frame to PNG as the model sees it (presets: lung, mediastinum, bone, brain, abdomen, dataset, auto).";

    public Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        string? input = null, output = null;
        var frame = 1;
        var window = WindowPreset.Dataset;
        var timings = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--frame":
                    if (!int.TryParse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture, out frame) || frame < 1)
                    {
                        throw new CommandLineException("--frame takes a frame number from 1.");
                    }

                    break;
                case "--window":
                    try
                    {
                        window = WindowPreset.Parse(Value(args, ref i));
                    }
                    catch (FormatException ex)
                    {
                        throw new CommandLineException(ex.Message);
                    }

                    break;
                case "--timings":
                    timings = true;
                    break;
                case "--out":
                    output = Value(args, ref i);
                    break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal) || input is not null)
                    {
                        throw new CommandLineException($"unexpected argument '{args[i]}'.");
                    }

                    input = args[i];
                    break;
            }
        }

        if (input is null || output is null)
        {
            throw new CommandLineException("FILE and --out are required.");
        }

        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            PngWriter.PreloadInBackground();
            var file = DicomFile.Open(input);
            var pixels = DicomPixelData.Create(file.Dataset, file.TransferSyntax.Uid);
            var read = clock.Elapsed.TotalMilliseconds;
            var image = DicomImageRenderer.Render(pixels, frame - 1, window);
            var rendered = clock.Elapsed.TotalMilliseconds;
            using (var stream = File.Create(output))
            {
                PngWriter.Write(image, stream);
            }

            if (timings)
            {
                var written = clock.Elapsed.TotalMilliseconds;
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"minigptmed render: read {read:F1} ms, decode + window {rendered - read:F1} ms, PNG {written - rendered:F1} ms (process up {(DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime).TotalMilliseconds:F0} ms)"));
            }

            var source = image.Source!;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{output}: {image.Width}x{image.Height} {(image.IsGrey ? "grey" : "RGB")}, frame {source.FrameNumber} of {pixels.Info.NumberOfFrames}, window {window.Name}, SOP Instance {source.SopInstanceUid}"));
            return Task.FromResult(0);
        }
        catch (Exception ex) when (ex is DicomImagingException or DicomFormatException or DicomDataException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"minigptmed render: {ex.Message}");
            return Task.FromResult(1);
        }
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new CommandLineException($"{args[i - 1]} needs a value.");
}
