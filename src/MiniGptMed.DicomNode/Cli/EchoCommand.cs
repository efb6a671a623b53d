using System.CommandLine;
using System.Net.Sockets;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Dimse;

namespace MiniGptMed.DicomNode.Cli;

/// <summary><c>minigptmed echo HOST PORT [--aet A] [--aec B]</c>: a C-ECHO (PS3.4 A) to check that a peer answers.</summary>
internal static class EchoCommand
{
    public const string DefaultAeTitle = "MINIGPTMED";

    public static Option<string> Aet() => CliOptions.AeTitle("--aet", $"Our (calling) AE title; default {DefaultAeTitle}.");

    public static Option<string> Aec() => CliOptions.AeTitle("--aec", $"The called AE title; default {DefaultAeTitle}, the node's own default AE.");

    public static Argument<string> Host() => CliOptions.Operand(new Argument<string>("HOST") { Description = "The peer's host name or IP address." });

    public static Command Create(CliContext cli)
    {
        var host = Host();
        var port = CliOptions.Port("The peer's DICOM port.");
        var aet = Aet();
        var aec = Aec();
        var command = new Command("echo", "Send a C-ECHO to a DICOM peer.") { host, port, aet, aec };
        var tls = TlsOptions.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (peer, peerPort) = (parse.GetValue(host)!, parse.GetValue(port));
            var client = new DicomClient(peer, peerPort, parse.GetValue(aet) ?? DefaultAeTitle, parse.GetValue(aec) ?? DefaultAeTitle) { Tls = tls.From(parse) };
            try
            {
                var status = await client.EchoAsync(cancellationToken).ConfigureAwait(false);
                cli.Out.WriteLine($"C-ECHO {peer}:{peerPort}: {DimseStatus.Describe(status)} ({status:X4})");
                return status == DimseStatus.Success ? CommandLine.Ok : CommandLine.Failed;
            }
            catch (Exception ex) when (ex is SocketException or IOException or AssociationRejectedException or AssociationAbortedException or OperationCanceledException or InvalidOperationException)
            {
                cli.Error.WriteLine($"minigptmed echo: {ex.Message}");
                return CommandLine.Failed;
            }
        });
        return command;
    }
}
