using Microsoft.Extensions.Options;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Dimse;
using MiniGptMed.DicomNode.Administration;
using MiniGptMed.DicomNode.Export;

namespace MiniGptMed.DicomNode.Http.Api;

/// <summary>What a C-ECHO to a destination gave.</summary>
internal sealed record EchoResult(bool Succeeded, string Destination, string Message);

/// <summary>
/// C-ECHO (PS3.4 A) to a stored destination as export would call it: <c>Export:CallingAeTitle</c>, the destination's
/// AE title, host, port and TLS, within its attempt timeout (as <c>minigptmed destination echo</c> does).
/// </summary>
internal sealed class DestinationEchoer(IStoreClientFactory clients, IOptionsMonitor<ExportOptions> export)
{
    public async Task<EchoResult> EchoAsync(Destination destination, CancellationToken cancellationToken)
    {
        if (destination.Type == DestinationType.Folder)
        {
            return new EchoResult(false, destination.Name, $"'{destination.Name}' is a folder destination; there is no DICOM peer to echo.");
        }

        var calling = export.CurrentValue.CallingAeTitle;
        var what = $"{calling} -> {destination.AeTitle} at {destination.Host}:{destination.Port}";
        try
        {
            var client = (DicomClient)clients.Create(new DestinationOptions
            {
                Name = destination.Name, AeTitle = destination.AeTitle, Host = destination.Host, Port = destination.Port,
                TlsCaFile = destination.TlsCaFile, TlsCertificateFile = destination.TlsCertificateFile, TlsKeyFile = destination.TlsKeyFile,
            }, calling);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(destination.AttemptTimeoutSeconds));
            var status = await client.EchoAsync(timeout.Token).ConfigureAwait(false);
            return new EchoResult(status == DimseStatus.Success, destination.Name, $"C-ECHO {destination.Name} ({what}): {DimseStatus.Describe(status)} ({status:X4})");
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or AssociationRejectedException or AssociationAbortedException
            or OperationCanceledException or InvalidOperationException or System.Security.Cryptography.CryptographicException
            or System.Security.Authentication.AuthenticationException)
        {
            return new EchoResult(false, destination.Name, $"C-ECHO {destination.Name} ({what}) failed: {ex.Message}");
        }
    }
}
