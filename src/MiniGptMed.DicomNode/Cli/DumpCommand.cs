using System.CommandLine;
using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Json;
using MiniGptMed.Dicom.Text;

namespace MiniGptMed.DicomNode.Cli;

/// <summary><c>minigptmed dump FILE [--json]</c>: the file's elements as text (like dcmdump) or DICOM JSON.</summary>
internal static class DumpCommand
{
    public static Command Create(CliContext cli)
    {
        var file = CliOptions.Operand(new Argument<string>("FILE") { Description = "A DICOM Part 10 file." });
        var json = new Option<bool>("--json") { Description = "Print DICOM JSON (PS3.18 F.2) instead of text." };
        var command = new Command("dump", "Print a DICOM file's elements as text (as dcmdump does), or as DICOM JSON with --json.") { file, json };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            try
            {
                var dicom = DicomFile.Open(path);
                if (parse.GetValue(json))
                {
                    cli.Out.WriteLine(DicomJsonWriter.Write(dicom.Dataset, new DicomJsonOptions { Indented = true }));
                }
                else
                {
                    DicomDumpWriter.Write(cli.Out, dicom);
                }

                return CommandLine.Ok;
            }
            catch (Exception ex) when (ex is DicomFormatException or FormatException or IOException or UnauthorizedAccessException)
            {
                cli.Error.WriteLine($"minigptmed dump: {path}: {ex.Message}");
                return CommandLine.Failed;
            }
        });
        return command;
    }
}
