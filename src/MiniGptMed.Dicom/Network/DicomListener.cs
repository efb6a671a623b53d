using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MiniGptMed.Dicom.Network.Admission;
using MiniGptMed.Dicom.Network.Association;

namespace MiniGptMed.Dicom.Network;

/// <summary>Where and how many: the listener's own limits.</summary>
public sealed class DicomListenerOptions
{
    /// <summary>Port 0 lets the OS choose (tests); 104 is the registered DICOM port, 11112 the usual unprivileged one.</summary>
    public IPEndPoint EndPoint { get; set; } = new(IPAddress.Any, 11112);

    /// <summary>
    /// Associations open at once; beyond it A-ASSOCIATE-RJ transient / local limit exceeded (PS3.8 9.3.4).
    /// Each costs about two receive buffers of the maximum PDU length, so 64 stays well under 100 MB.
    /// </summary>
    public int MaxAssociations { get; set; } = 64;

    /// <summary>
    /// Connections open at once, associated or not. Each connection has a receive thread, so a flood of connections
    /// that never associate must not become a flood of threads: up to this many, a connection over
    /// <see cref="MaxAssociations"/> still gets a proper A-ASSOCIATE-RJ; beyond it the socket is closed at once.
    /// Defaults to <see cref="MaxAssociations"/> plus 16.
    /// </summary>
    public int? MaxConnections { get; set; }

    public AssociationOptions Association { get; set; } = new();

    /// <summary>When set, every connection is DICOM TLS (PS3.15 B.9): the handshake comes first, within the ARTIM timeout.</summary>
    public Security.DicomTlsServerOptions? Tls { get; set; }

    /// <summary>Fair shares: per address, per calling AE, the address pre-check, and who makes room when full.</summary>
    public AdmissionOptions Admission { get; set; } = new();

    /// <summary>Repeats of one kind of refusal within this window are summarised in one line (see <see cref="RefusalLog"/>).</summary>
    public TimeSpan RefusalLogWindow { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Accepts TCP connections and runs one acceptor association per connection. The socket is bound in
/// <see cref="Start"/>, so a busy port fails there, not later in the background.
/// </summary>
public sealed class DicomListener : IAsyncDisposable
{
    private readonly DicomListenerOptions _options;
    private readonly IAssociationPolicy _policy;
    private readonly PresentationContextNegotiator _negotiator;
    private readonly IPresentationDataHandlerFactory _handlers;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private Socket? _socket;
    private readonly ConnectionAdmission _admission;
    private readonly RefusalLog _refusals;
    private Task _acceptLoop = Task.CompletedTask;

    public DicomListener(
        DicomListenerOptions options,
        IAssociationPolicy policy,
        PresentationContextNegotiator negotiator,
        IPresentationDataHandlerFactory handlers,
        ILogger<DicomListener>? logger = null)
    {
        options.Association.Validate();
        options.Tls?.Validate();
        options.Admission.Validate();
        _options = options;
        _policy = policy;
        _negotiator = negotiator;
        _handlers = handlers;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _admission = new ConnectionAdmission(options.MaxConnections ?? options.MaxAssociations + 16, options.MaxAssociations, options.Admission);
        _refusals = new RefusalLog(_logger, options.RefusalLogWindow);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)(_socket?.LocalEndPoint ?? throw new InvalidOperationException("The listener is not started."));

    /// <summary>Open connections, associated or not.</summary>
    public int ActiveAssociations => _admission.Connections;

    /// <summary>Raised (for tests and metrics) whenever a connection has ended: null after a release or a rejection, else the abort reason.</summary>
    public event Action<Exception?>? AssociationClosed;

    public void Start()
    {
        var socket = new Socket(_options.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (_options.EndPoint.Address.Equals(IPAddress.IPv6Any))
        {
            // [::] also takes IPv4 peers (as ::ffff:a.b.c.d), so one socket serves both families.
            socket.DualMode = true;
        }

        try
        {
            socket.Bind(_options.EndPoint);
            socket.Listen(128);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        NetworkLog.Listening(_logger, socket.LocalEndPoint!);
        _acceptLoop = AcceptLoopAsync(socket);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_running.Keys).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listening)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listening.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                // EMFILE and friends: keep serving the associations we have; try again shortly.
                NetworkLog.AcceptFailed(_logger, _options.EndPoint, ex);
                await Task.Delay(100).ConfigureAwait(false);
                continue;
            }

            NetworkLog.Connected(_logger, client.RemoteEndPoint);
            var remote = client.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0);
            if (_admission.TryAdmit(remote, out var refusal) is not { } ticket)
            {
                // Before a slot or a thread is spent on it: an address no rule admits, or one over its share.
                _refusals.ConnectionRefused(refusal, remote);
                client.Dispose();
                AssociationClosed?.Invoke(null);
                continue;
            }

            var services = new AcceptorServices(_policy, _negotiator, _handlers, _options.Association, _logger, ticket, _admission, _refusals);
            var task = RunOneAsync(client, services);
            _running.TryAdd(task, 0);
            _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task RunOneAsync(Socket client, AcceptorServices services)
    {
        await Task.Yield();
        Exception? error = null;
        try
        {
            error = await DicomAssociation.RunAcceptorAsync(client, services, _options.Tls, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // An association never takes the listener down.
            error = ex;
            NetworkLog.Aborted(_logger, null, "association failed", ex);
        }
        finally
        {
            services.Ticket.Dispose();
            AssociationClosed?.Invoke(error);
        }
    }
}
