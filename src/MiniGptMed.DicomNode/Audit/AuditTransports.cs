using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MiniGptMed.Dicom.Network.Security;

namespace MiniGptMed.DicomNode.Audit;

/// <summary>Delivers one syslog message; called from the audit trail's single sender, never from reception.</summary>
internal interface IAuditTransport : IAsyncDisposable
{
    string Destination { get; }

    ValueTask SendAsync(byte[] message, CancellationToken cancellationToken);
}

/// <summary>No collector configured: the syslog lines appended to a local file, one message per line (the XML has no line breaks).</summary>
internal sealed class FileAuditTransport : IAuditTransport
{
    private readonly FileStream _file;

    public FileAuditTransport(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.None);
        Destination = Path.GetFullPath(path);
    }

    public string Destination { get; }

    public async ValueTask SendAsync(byte[] message, CancellationToken cancellationToken)
    {
        await _file.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        _file.WriteByte((byte)'\n');
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}

/// <summary>RFC 5426 (PS3.15 A.7): one message per datagram.</summary>
internal sealed class UdpAuditTransport(string host, int port) : IAuditTransport
{
    private readonly UdpClient _udp = new();
    private bool _connected;

    public string Destination => $"udp://{host}:{port}";

    public async ValueTask SendAsync(byte[] message, CancellationToken cancellationToken)
    {
        if (!_connected)
        {
            _udp.Connect(host, port);
            _connected = true;
        }

        await _udp.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _udp.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// RFC 5425 (PS3.15 A.6): syslog over TLS 1.2/1.3 with octet-counting framing; the collector's certificate must chain
/// to the configured CAs, ours is sent when it asks. Connects on first use and again after a failure.
/// </summary>
internal sealed class TlsAuditTransport(string host, int port, X509Certificate2Collection trusted, X509Certificate2? clientCertificate) : IAuditTransport
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private TcpClient? _tcp;
    private SslStream? _ssl;

    public string Destination => $"tls://{host}:{port}";

    public async ValueTask SendAsync(byte[] message, CancellationToken cancellationToken)
    {
        var framed = SyslogMessage.Frame(message);
        try
        {
            var ssl = _ssl ?? await ConnectAsync(cancellationToken).ConfigureAwait(false);
            await ssl.WriteAsync(framed, cancellationToken).ConfigureAwait(false);
            await ssl.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Close();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private async Task<SslStream> ConnectAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        _tcp = new TcpClient { NoDelay = true };
        await _tcp.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
        _ssl = new SslStream(_tcp.GetStream(), leaveInnerStreamOpen: false);
        string? problem = null;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            EnabledSslProtocols = Bcp195.Protocols,
            CipherSuitesPolicy = Bcp195.Policy(),
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    problem = "the collector sent no certificate";
                    return false;
                }

                using var presented = new X509Certificate2(certificate);
                return CertificateFiles.Chains(presented, trusted, null, CertificateFiles.ServerAuthentication, out problem);
            },
        };
        try
        {
            await _ssl.AuthenticateAsClientAsync(options, timeout.Token).ConfigureAwait(false);
        }
        catch (AuthenticationException ex) when (problem is { Length: > 0 })
        {
            throw new IOException($"collector certificate refused: {problem}", ex);
        }

        return _ssl;
    }

    private void Close()
    {
        _ssl?.Dispose();
        _tcp?.Dispose();
        _ssl = null;
        _tcp = null;
    }
}
