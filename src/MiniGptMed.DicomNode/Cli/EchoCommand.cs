using System.Net.Sockets;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Dimse;

namespace MiniGptMed.DicomNode.Cli;

/// <summary><c>minigptmed echo HOST PORT [--aet A] [--aec B]</c>: a C-ECHO (PS3.4 A) to check that a peer answers.</summary>
internal sealed class EchoCommand : ICommand
{
    public string Name => "echo";

    public string Usage => "echo HOST PORT [--aet A] [--aec B] " + TlsArguments.Usage;

    public string Summary => "Send a C-ECHO to a DICOM peer (calling AE --aet, default MINIGPTMED; called AE --aec, default MINIGPTMED, the node's own default AE).";

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var arguments = new NetworkArguments(args, ["--aet", "--aec", .. TlsArguments.Names]);
        if (arguments.Positional.Count != 2)
        {
            throw new CommandLineException("give HOST and PORT.");
        }

        var client = new DicomClient(arguments.Positional[0], NetworkArguments.GetPort(arguments.Positional[1]), arguments.GetAeTitle("--aet", "MINIGPTMED"), arguments.GetAeTitle("--aec", "MINIGPTMED"))
        {
            Tls = TlsArguments.From(arguments),
        };
        try
        {
            var status = await client.EchoAsync(cancellationToken).ConfigureAwait(false);
            stdout.WriteLine($"C-ECHO {arguments.Positional[0]}:{arguments.Positional[1]}: {DimseStatus.Describe(status)} ({status:X4})");
            return status == DimseStatus.Success ? 0 : 1;
        }
        catch (Exception ex) when (ex is SocketException or IOException or AssociationRejectedException or AssociationAbortedException or OperationCanceledException or InvalidOperationException)
        {
            stderr.WriteLine($"minigptmed echo: {ex.Message}");
            return 1;
        }
    }
}
