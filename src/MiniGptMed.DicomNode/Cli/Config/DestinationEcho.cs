using System.CommandLine;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.DicomNode.Administration;
using MiniGptMed.DicomNode.Cli.Admin;
using MiniGptMed.DicomNode.Export;

namespace MiniGptMed.DicomNode.Cli.Config;

/// <summary>
/// <c>destination echo NAME</c>: a C-ECHO (PS3.4 A) to a stored destination as export would call it — our
/// <c>Export:CallingAeTitle</c>, its AE title, host, port and TLS — to check it before results are sent there.
/// </summary>
internal static class DestinationEcho
{
    public static Command Create(CliContext cli)
    {
        var name = CliOptions.Operand(new Argument<string>("NAME") { Description = "The destination's name." });
        var command = new Command("echo", "Send a C-ECHO to a destination with the AE titles and TLS export uses.");
        command.Arguments.Add(name);
        var db = CliContext.DatabaseOptions(command, json: false);
        command.SetAction((parse, ct) => NodeDatabaseAccess.RunAsync("destination echo", parse.GetValue(db.Config), parse.GetValue(db.Data), cli.Error, async (database, services) =>
        {
            await CliContext.SeedAsync(database.SqlAdministration, services).ConfigureAwait(false);
            var key = parse.GetValue(name) ?? "";
            if (await database.Administration.Destinations.GetAsync(key, ct).ConfigureAwait(false) is not { } destination)
            {
                cli.Error.WriteLine($"minigptmed destination echo: '{key}' is not a destination (destination list shows them).");
                return 1;
            }

            if (destination.Type == DestinationType.Folder)
            {
                cli.Error.WriteLine($"minigptmed destination echo: '{key}' is a folder destination; there is no DICOM peer to echo.");
                return 1;
            }

            var calling = services.GetRequiredService<IOptionsMonitor<ExportOptions>>().CurrentValue.CallingAeTitle;
            // As export would call it (a DICOM destination: no folder to resolve).
            var options = ConfigMapping.ToDestinationOptions(destination, dataDirectory: "");
            try
            {
                var client = (DicomClient)new DicomStoreClientFactory(NullLoggerFactory.Instance).Create(options, calling);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(destination.AttemptTimeoutSeconds));
                var status = await client.EchoAsync(timeout.Token).ConfigureAwait(false);
                cli.Out.WriteLine($"C-ECHO {destination.Name} ({calling} -> {destination.AeTitle} at {destination.Host}:{destination.Port}): {DimseStatus.Describe(status)} ({status:X4})");
                return status == DimseStatus.Success ? 0 : 1;
            }
            catch (Exception ex) when (ex is SocketException or IOException or AssociationRejectedException or AssociationAbortedException
                or OperationCanceledException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
            {
                cli.Error.WriteLine($"minigptmed destination echo: {destination.Name} ({destination.Host}:{destination.Port}): {ex.Message}");
                return 1;
            }
        }));
        return command;
    }
}
