using System.CommandLine;
using System.Security.Cryptography;
using MiniGptMed.Dicom.Network.Security;

namespace MiniGptMed.DicomNode.Cli;

/// <summary>
/// The SCU's DICOM TLS options (PS3.15 B.9) of <c>echo</c> and <c>send</c>: <c>--tls-ca FILE</c> turns TLS on and names
/// the CAs (PEM) the server's certificate must chain to; <c>--tls-cert FILE --tls-key FILE</c> give our certificate
/// when the server asks for one.
/// </summary>
internal sealed class TlsOptions
{
    private readonly Option<string> _ca = new("--tls-ca") { Description = "DICOM TLS (PS3.15 B.9): the CAs (PEM) the peer's certificate must chain to.", HelpName = "CA.pem" };
    private readonly Option<string> _cert = new("--tls-cert") { Description = "DICOM TLS: our certificate (PEM), when the peer asks for one (needs --tls-ca and --tls-key).", HelpName = "CERT.pem" };
    private readonly Option<string> _key = new("--tls-key") { Description = "DICOM TLS: our key (PEM), with --tls-cert.", HelpName = "KEY.pem" };

    /// <summary>Adds the three options to <paramref name="command"/>, with the check that they go together.</summary>
    public static TlsOptions AddTo(Command command)
    {
        var tls = new TlsOptions();
        command.Options.Add(tls._ca);
        command.Options.Add(tls._cert);
        command.Options.Add(tls._key);
        command.Validators.Add(result =>
        {
            bool Has(Option option) => result.GetResult(option) is not null;
            if (!Has(tls._ca) && (Has(tls._cert) || Has(tls._key)))
            {
                result.AddError("--tls-cert and --tls-key need --tls-ca (the CAs the server's certificate must chain to).");
            }
            else if (Has(tls._cert) != Has(tls._key))
            {
                result.AddError("--tls-cert and --tls-key go together.");
            }
        });
        return tls;
    }

    /// <summary>The client's TLS settings, or null without <c>--tls-ca</c>; a file that does not load is a bad argument.</summary>
    public DicomTlsClientOptions? From(ParseResult parse)
    {
        if (parse.GetValue(_ca) is not { } ca)
        {
            return null;
        }

        try
        {
            return new DicomTlsClientOptions
            {
                TrustedServerCas = CertificateFiles.LoadBundle(ca),
                ClientCertificate = parse.GetValue(_cert) is { } cert ? CertificateFiles.LoadCertificateWithKey(cert, parse.GetValue(_key)!) : null,
            };
        }
        catch (CryptographicException ex)
        {
            throw new CommandLineException(ex.Message);
        }
    }
}
