using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniGptMed.Dicom.Network.Security;
using MiniGptMed.DicomNode.Configuration;

namespace MiniGptMed.DicomNode.Audit;

/// <summary>
/// The node's audit trail (IHE ATNA; PS3.15 A.5 messages, A.6/A.7 transmission). <see cref="Record"/> never blocks:
/// events go into a bounded queue that one background sender formats and delivers; when the queue is full the event
/// is dropped, counted and logged, so a slow or absent collector never slows reception. A hosted service: started
/// before Reception and stopped after it, so that the node's start and stop and the last transfers are recorded.
/// </summary>
public sealed class AuditTrail : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly AuditOptions _options;
    private readonly Func<string> _dataDirectory;
    private readonly ILogger _logger;
    private readonly Channel<AuditEvent> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private Task _sender = Task.CompletedTask;
    private long _dropped;
    private long _sent;
    private long _failed;

    public AuditTrail(IOptionsMonitor<AuditOptions> options, IOptionsMonitor<StorageOptions> storage, ILogger<AuditTrail> logger)
        : this(options.CurrentValue, () => storage.CurrentValue.DataDirectory, logger)
    {
    }

    internal AuditTrail(AuditOptions options, Func<string> dataDirectory, ILogger logger)
    {
        _options = options;
        _dataDirectory = dataDirectory;
        _logger = logger;
        // One reader; writers are the association threads. Wait mode makes TryWrite say false when full (DropWrite
        // would drop silently), which is what lets the drops be counted.
        _queue = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        SourceId = string.IsNullOrWhiteSpace(options.SourceId) ? Environment.MachineName : options.SourceId.Trim();
    }

    public bool Enabled => _options.Enabled;

    /// <summary>AuditSourceID of every message (PS3.15 A.5.1).</summary>
    public string SourceId { get; }

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Sent => Interlocked.Read(ref _sent);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Queues an event for sending; never waits.</summary>
    public void Record(AuditEvent auditEvent)
    {
        if (!_options.Enabled || _queue.Writer.TryWrite(auditEvent))
        {
            return;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        // One line for the first drop and then one per thousand: a flood of drops must not become a flood of lines.
        if (dropped == 1 || dropped % 1000 == 0)
        {
            AuditLog.Dropped(_logger, _options.QueueCapacity, dropped);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return Task.CompletedTask;
        }

        var transport = CreateTransport();
        AuditLog.Started(_logger, _options.Transport, transport.Destination);
        _sender = Task.Run(() => SendLoopAsync(transport), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Sends what is queued (for at most 5 s), then stops.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_queue.Writer.TryComplete())
        {
            _stopping.CancelAfter(DrainTimeout);
            await _sender.ConfigureAwait(false);
            if (_options.Enabled)
            {
                AuditLog.Stopped(_logger, Sent, Failed, Dropped);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private IAuditTransport CreateTransport() => _options.Transport switch
    {
        AuditTransport.Udp => new UdpAuditTransport(_options.Host!, _options.EffectivePort),
        AuditTransport.Tls => new TlsAuditTransport(
            _options.Host!,
            _options.EffectivePort,
            CertificateFiles.LoadBundle(_options.TrustedCertificatesFile!),
            string.IsNullOrWhiteSpace(_options.CertificateFile) ? null : CertificateFiles.LoadCertificateWithKey(_options.CertificateFile, _options.KeyFile!)),
        _ => new FileAuditTransport(Path.Combine(_dataDirectory(), _options.File)),
    };

    private async Task SendLoopAsync(IAuditTransport transport)
    {
        await using (transport.ConfigureAwait(false))
        {
            var failing = false;
            try
            {
                await foreach (var auditEvent in _queue.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
                {
                    var xml = AuditMessageWriter.Write(auditEvent, SourceId, _options.EnterpriseSiteId);
                    var message = SyslogMessage.Create(xml, auditEvent.Outcome, auditEvent.When, Environment.MachineName, "minigptmed", Environment.ProcessId);
                    try
                    {
                        await transport.SendAsync(message, _stopping.Token).ConfigureAwait(false);
                        Interlocked.Increment(ref _sent);
                        if (failing)
                        {
                            failing = false;
                            AuditLog.SendRecovered(_logger, transport.Destination);
                        }
                    }
                    catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException or System.Security.Authentication.AuthenticationException)
                    {
                        var failed = Interlocked.Increment(ref _failed);
                        if (!failing || failed % 1000 == 0)
                        {
                            AuditLog.SendFailed(_logger, transport.Destination, failed, ex.Message);
                        }

                        failing = true;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopping took longer than the drain allows: what is left is counted as not sent.
                Interlocked.Add(ref _failed, _queue.Reader.Count);
            }
        }
    }
}
