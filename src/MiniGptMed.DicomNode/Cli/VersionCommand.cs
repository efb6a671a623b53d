using System.CommandLine;

namespace MiniGptMed.DicomNode.Cli;

/// <summary><c>minigptmed version</c>: the informational version, with the commit.</summary>
internal static class VersionCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("version", "Print the node's version (with the commit it was built from).");
        command.SetAction(_ =>
        {
            cli.Out.WriteLine($"minigptmed {BuildVersion.Informational}");
            return CommandLine.Ok;
        });
        return command;
    }
}
