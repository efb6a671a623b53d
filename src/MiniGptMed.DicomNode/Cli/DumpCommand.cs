using MiniGptMed.Dicom.IO;
using MiniGptMed.Dicom.Json;
using MiniGptMed.Dicom.Text;

namespace MiniGptMed.DicomNode.Cli;

/// <summary><c>minigptmed dump FILE [--json]</c>: the file's elements as text (like dcmdump) or DICOM JSON.</summary>
internal sealed class DumpCommand : ICommand
{
    public string Name => "dump";

    public string Usage => "dump FILE [--json]";

    public string Summary => "Print a DICOM file's elements as text, or as DICOM JSON (PS3.18 F.2) with --json.";

    public Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var json = args.Contains("--json");
        var unknown = args.Where(a => a.StartsWith('-') && a != "--json").ToList();
        var files = args.Where(a => !a.StartsWith('-')).ToList();
        if (unknown.Count > 0)
        {
            throw new CommandLineException($"unknown option '{unknown[0]}'.");
        }

        if (files.Count != 1)
        {
            throw new CommandLineException("give exactly one FILE.");
        }

        try
        {
            var file = DicomFile.Open(files[0]);
            if (json)
            {
                stdout.WriteLine(DicomJsonWriter.Write(file.Dataset, new DicomJsonOptions { Indented = true }));
            }
            else
            {
                DicomDumpWriter.Write(stdout, file);
            }

            return Task.FromResult(0);
        }
        catch (Exception ex) when (ex is DicomFormatException or FormatException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"minigptmed dump: {files[0]}: {ex.Message}");
            return Task.FromResult(1);
        }
    }
}
