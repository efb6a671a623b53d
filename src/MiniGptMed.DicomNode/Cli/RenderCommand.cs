using System.CommandLine;
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
internal static class RenderCommand
{
    public static Command Create(CliContext cli)
    {
        var file = CliOptions.Operand(new Argument<string>("FILE") { Description = "A DICOM image file." });
        var frame = CliOptions.Integer("--frame", "N", "The frame, from 1 (default 1).", 1, int.MaxValue);
        var window = CliOptions.Window("The window: lung, mediastinum, bone, brain, abdomen, dataset (default: the file's own), auto, or CENTRE,WIDTH.");
        var output = new Option<string>("--out") { Description = "The PNG written.", HelpName = "FILE.png", Required = true };
        var timings = new Option<bool>("--timings") { Description = "Print how long reading, decoding and writing took, on stderr." };
        var command = new Command("render", "Render one frame to PNG as the model sees it (decode, Modality LUT, window, MONOCHROME1 inverted).")
        {
            file, frame, window, output, timings,
        };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(frame) ?? 1, parse.GetValue(window) ?? WindowPreset.Dataset, parse.GetValue(output)!,
            parse.GetValue(timings), cli.Out, cli.Error));
        return command;
    }

    private static int Run(string input, int frame, WindowPreset window, string output, bool timings, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
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
            return CommandLine.Ok;
        }
        catch (Exception ex) when (ex is DicomImagingException or DicomFormatException or DicomDataException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"minigptmed render: {ex.Message}");
            return CommandLine.Failed;
        }
    }
}
