using Microsoft.Extensions.Logging;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Security;

namespace MiniGptMed.DicomNode.Export;

/// <summary>Makes the C-STORE SCU for a destination (the seam tests use to put another peer behind export).</summary>
public interface IStoreClientFactory
{
    IDicomStoreClient Create(DestinationOptions destination, string callingAeTitle);
}

/// <summary>Our <see cref="DicomClient"/>, with DICOM TLS when the destination names its CAs.</summary>
internal sealed class DicomStoreClientFactory(ILoggerFactory loggers) : IStoreClientFactory
{
    public IDicomStoreClient Create(DestinationOptions destination, string callingAeTitle) =>
        new DicomClient(destination.Host, destination.Port, callingAeTitle, destination.AeTitle, logger: loggers.CreateLogger<DicomClient>())
        {
            // PS3.15 B.9: the certificate files are read at each association, so a renewed certificate needs no restart.
            Tls = destination.TlsCaFile is { } ca
                ? new DicomTlsClientOptions
                {
                    TrustedServerCas = CertificateFiles.LoadBundle(ca),
                    ClientCertificate = destination.TlsCertificateFile is { } cert && destination.TlsKeyFile is { } key
                        ? CertificateFiles.LoadCertificateWithKey(cert, key)
                        : null,
                }
                : null,
        };
}
