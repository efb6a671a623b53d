using System.Security.Cryptography;
using MiniGptMed.Dicom.Network.Security;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// The SCU's DICOM TLS options (PS3.15 B.9): <c>--tls-ca FILE</c> turns TLS on and names the CAs (PEM) the server's
/// certificate must chain to; <c>--tls-cert FILE --tls-key FILE</c> give our certificate when the server asks for one.
/// </summary>
internal static class TlsArguments
{
    public static readonly string[] Names = ["--tls-ca", "--tls-cert", "--tls-key"];

    public const string Usage = "[--tls-ca CA.pem [--tls-cert CERT.pem --tls-key KEY.pem]]";

    public static DicomTlsClientOptions? From(NetworkArguments arguments)
    {
        if (!arguments.Has("--tls-ca"))
        {
            if (arguments.Has("--tls-cert") || arguments.Has("--tls-key"))
            {
                throw new CommandLineException("--tls-cert and --tls-key need --tls-ca (the CAs the server's certificate must chain to).");
            }

            return null;
        }

        if (arguments.Has("--tls-cert") != arguments.Has("--tls-key"))
        {
            throw new CommandLineException("--tls-cert and --tls-key go together.");
        }

        try
        {
            return new DicomTlsClientOptions
            {
                TrustedServerCas = CertificateFiles.LoadBundle(arguments.Get("--tls-ca", string.Empty)),
                ClientCertificate = arguments.Has("--tls-cert")
                    ? CertificateFiles.LoadCertificateWithKey(arguments.Get("--tls-cert", string.Empty), arguments.Get("--tls-key", string.Empty))
                    : null,
            };
        }
        catch (CryptographicException ex)
        {
            throw new CommandLineException(ex.Message);
        }
    }
}
