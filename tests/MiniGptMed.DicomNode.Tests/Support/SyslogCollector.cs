using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using System.Xml.Linq;

namespace MiniGptMed.DicomNode.Tests.Support;

/// <summary>One received syslog message: the RFC 5424 header fields and the audit XML.</summary>
public sealed record SyslogEntry(int Pri, string Version, string Timestamp, string HostName, string AppName, string ProcId, string MsgId, string StructuredData, XElement Audit)
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Parses "&lt;PRI&gt;1 TIMESTAMP HOST APP PROCID MSGID SD BOM XML" (RFC 5424 6).</summary>
    public static SyslogEntry Parse(byte[] message)
    {
        var bom = message.AsSpan().IndexOf(Bom);
        Assert.True(bom > 0, "no UTF-8 BOM before the MSG (RFC 5424 6.4)");
        var header = Encoding.ASCII.GetString(message, 0, bom);
        Assert.EndsWith(" ", header, StringComparison.Ordinal);
        var fields = header.TrimEnd().Split(' ');
        Assert.Equal(7, fields.Length);
        Assert.StartsWith("<", fields[0], StringComparison.Ordinal);
        var close = fields[0].IndexOf('>', StringComparison.Ordinal);
        var pri = int.Parse(fields[0][1..close]);
        var version = fields[0][(close + 1)..];
        var xml = XElement.Parse(Encoding.UTF8.GetString(message, bom + 3, message.Length - bom - 3));
        return new SyslogEntry(pri, version, fields[1], fields[2], fields[3], fields[4], fields[5], fields[6], xml);
    }

    public string EventId => Audit.Element("EventIdentification")!.Element("EventID")!.Attribute("csd-code")!.Value;
}

/// <summary>A syslog collector on a loopback port from the OS: RFC 5426 UDP datagrams, or RFC 5425 TLS with octet counting.</summary>
public sealed class SyslogCollector : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly UdpClient? _udp;
    private readonly TcpListener? _tcp;

    private SyslogCollector(UdpClient udp)
    {
        _udp = udp;
        Port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
        _loop = Task.Run(ReceiveUdpAsync);
    }

    private SyslogCollector(TcpListener tcp, X509Certificate2 certificate)
    {
        _tcp = tcp;
        Port = ((IPEndPoint)tcp.LocalEndpoint).Port;
        _loop = Task.Run(() => AcceptTlsAsync(certificate));
    }

    public int Port { get; }

    public Channel<byte[]> Messages { get; } = Channel.CreateUnbounded<byte[]>();

    /// <summary>Client certificates the TLS collector saw (subject), to prove mutual authentication.</summary>
    public List<string> ClientSubjects { get; } = [];

    public static SyslogCollector Udp() => new(new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)));

    public static SyslogCollector Tls(X509Certificate2 certificate)
    {
        var tcp = new TcpListener(IPAddress.Loopback, 0);
        tcp.Start();
        return new SyslogCollector(tcp, certificate);
    }

    /// <summary>The next message whose audit EventID is <paramref name="eventId"/> (others are skipped), within 20 s.</summary>
    public async Task<SyslogEntry> NextAsync(string eventId, Func<SyslogEntry, bool>? where = null)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var entry = SyslogEntry.Parse(await Messages.Reader.ReadAsync(cts.Token));
            if (entry.EventId == eventId && (where is null || where(entry)))
            {
                return entry;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp?.Dispose();
        _tcp?.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task ReceiveUdpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var datagram = await _udp!.ReceiveAsync(_stop.Token);
            Messages.Writer.TryWrite(datagram.Buffer);
        }
    }

    private async Task AcceptTlsAsync(X509Certificate2 certificate)
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _tcp!.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    await using var ssl = new SslStream(client.GetStream());
                    await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificate = certificate,
                        ClientCertificateRequired = true,
                        // The collector records who connected; the node side is what is under test.
                        RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
                    }, _stop.Token);
                    lock (ClientSubjects)
                    {
                        ClientSubjects.Add(ssl.RemoteCertificate?.Subject ?? "none");
                    }

                    await ReadFramesAsync(ssl);
                }
            });
        }
    }

    /// <summary>RFC 5425 4.3: MSG-LEN SP SYSLOG-MSG, repeated.</summary>
    private async Task ReadFramesAsync(Stream stream)
    {
        var one = new byte[1];
        while (true)
        {
            var length = 0;
            while (true)
            {
                if (await stream.ReadAsync(one, _stop.Token) == 0)
                {
                    return;
                }

                if (one[0] == (byte)' ')
                {
                    break;
                }

                Assert.InRange(one[0], (byte)'0', (byte)'9');
                length = (length * 10) + (one[0] - '0');
            }

            var message = new byte[length];
            await stream.ReadExactlyAsync(message, _stop.Token);
            Messages.Writer.TryWrite(message);
        }
    }
}
