using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MiniGptMed.Dicom.Network.Pdu;

namespace MiniGptMed.Dicom.Network.Association;

/// <summary>
/// One DICOM association over one TCP connection, either side. A single read loop owns the receive pipe, drives
/// the PS3.8 state machine, hands messages to the <see cref="IPresentationDataHandler"/> and, when anything goes
/// wrong, tears everything down in one place (<see cref="TearDownAsync"/>).
/// </summary>
public sealed class DicomAssociation : IAsyncDisposable
{
    private static readonly TimeSpan AbortSendTimeout = TimeSpan.FromSeconds(2);

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly UpperLayerStateMachine _machine;
    private readonly AssociationOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly PdvAssembler _assembler;
    private readonly TaskCompletionSource _established = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Dictionary<byte, PresentationContext> _contexts = [];
    private AcceptorServices? _acceptor;
    private IPresentationDataHandler? _handler;
    private Exception? _localAbort;
    private Task _loop = Task.CompletedTask;
    private bool _messageSeen;

    /// <param name="secure">The TLS stream over <paramref name="socket"/> (PS3.15 B.9), already authenticated; null for plain TCP.</param>
    private DicomAssociation(Socket socket, Stream? secure, bool isRequestor, AssociationOptions options, ILogger? logger)
    {
        options.Validate();
        _socket = socket;
        // PS3.8 9.1.1 says nothing of Nagle, but without TCP_NODELAY every small PDU (a C-STORE-RSP) waits for the
        // peer's delayed ACK: about 40 ms per instance on Linux.
        _socket.NoDelay = true;
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        IsSecure = secure is not null;
        if (secure is not null)
        {
            // The same two halves over TLS: the acceptor's pump blocks in SslStream.Read, its responses are written
            // synchronously (the socket's send timeout bounds them, as in the plain case); a requestor reads through
            // a pipe as on plain TCP.
            _socket.SendTimeout = isRequestor ? 0 : (int)Math.Min(int.MaxValue, options.ArtimTimeout.TotalMilliseconds);
            _stream = isRequestor ? secure : new Security.SynchronousWriteStream(secure);
            _reader = isRequestor
                ? PipeReader.Create(secure, new StreamPipeReaderOptions(bufferSize: 65536, minimumReadSize: 16384, leaveOpen: true))
                : ReceivePump.Start(secure, options.MaxReceivePduLength, $"DICOM TLS {RemoteEndPoint}");
        }
        else if (isRequestor)
        {
            _stream = new NetworkStream(socket, ownsSocket: true);
            _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 65536, minimumReadSize: 16384, leaveOpen: true));
        }
        else
        {
            // The acceptor blocks on its own thread (see ReceivePump): a storage SCP spends its life receiving.
            _stream = new BlockingSocketStream(socket, options.ArtimTimeout);
            _reader = ReceivePump.Start(socket, options.MaxReceivePduLength, $"DICOM {RemoteEndPoint}");
        }

        _writer = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 65536, leaveOpen: true));
        _machine = new UpperLayerStateMachine(isRequestor);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _assembler = new PdvAssembler(options.MaxCommandSetLength);
        SendPduLength = options.MaxSendPduLength;
    }

    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>Whether the association runs over TLS (PS3.15 B.9).</summary>
    public bool IsSecure { get; }

    public string CalledAeTitle { get; private set; } = string.Empty;

    public string CallingAeTitle { get; private set; } = string.Empty;

    public AssociateRequestPdu? Request { get; private set; }

    public AssociateAcceptPdu? Accept { get; private set; }

    public IReadOnlyCollection<PresentationContext> PresentationContexts => _contexts.Values;

    /// <summary>The largest PDU-length we send: the peer's maximum (PS3.8 D.1), capped by our own option.</summary>
    public int SendPduLength { get; private set; }

    public UpperLayerState State
    {
        get
        {
            lock (_machine)
            {
                return _machine.State;
            }
        }
    }

    /// <summary>Completes when the connection is closed: with null after a release, else with the reason.</summary>
    public Task<Exception?> Completion => _closed.Task;

    public PresentationContext? FindAcceptedContext(byte id) =>
        _contexts.TryGetValue(id, out var context) && context.IsAccepted ? context : null;

    /// <summary>Runs the acceptor side of an accepted TCP connection until the association ends.</summary>
    /// <returns>Null after a release (or a rejection we sent), else why the association was aborted.</returns>
    internal static async Task<Exception?> RunAcceptorAsync(Socket socket, AcceptorServices services, CancellationToken cancellationToken) =>
        await RunAcceptorAsync(socket, services, null, cancellationToken).ConfigureAwait(false);

    /// <summary>The same, over TLS when <paramref name="tls"/> is set: the handshake first, bounded by ARTIM (a failure is logged once and returned).</summary>
    internal static async Task<Exception?> RunAcceptorAsync(Socket socket, AcceptorServices services, Security.DicomTlsServerOptions? tls, CancellationToken cancellationToken)
    {
        Stream? secure = null;
        if (tls is not null)
        {
            var remote = socket.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0);
            try
            {
                secure = await Security.TlsHandshake.AcceptAsync(socket, remote, tls, services.Options.ArtimTimeout, services.Logger, cancellationToken).ConfigureAwait(false);
            }
            catch (Security.TlsHandshakeException ex)
            {
                socket.Dispose();
                return ex;
            }
        }

        var association = new DicomAssociation(socket, secure, isRequestor: false, services.Options, services.Logger) { _acceptor = services };
        await using (association.ConfigureAwait(false))
        {
            using var stop = cancellationToken.Register(() => association.Abort(new OperationCanceledException("The listener is stopping.")));
            services.Ticket.OnRelease(association.Abort);
            association.Fire(UpperLayerEvent.TransportIndication);
            await association.RunAsync().ConfigureAwait(false);
            return await association.Completion.ConfigureAwait(false);
        }
    }

    /// <summary>Opens a connection, proposes the contexts and waits for A-ASSOCIATE-AC (PS3.8 9.2, AE-1..AE-3).</summary>
    /// <exception cref="AssociationRejectedException">The peer answered A-ASSOCIATE-RJ.</exception>
    public static async Task<DicomAssociation> ConnectAsync(
        string host,
        int port,
        AssociationProposal proposal,
        IPresentationDataHandler handler,
        AssociationOptions? options = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default) =>
        await ConnectAsync(host, port, proposal, handler, options, null, logger, cancellationToken).ConfigureAwait(false);

    /// <summary>The same, over TLS when <paramref name="tls"/> is set (PS3.15 B.9): the handshake bounded by ARTIM, then A-ASSOCIATE-RQ.</summary>
    /// <exception cref="Security.TlsHandshakeException">The server's certificate was refused, or it refused ours.</exception>
    public static async Task<DicomAssociation> ConnectAsync(
        string host,
        int port,
        AssociationProposal proposal,
        IPresentationDataHandler handler,
        AssociationOptions? options,
        Security.DicomTlsClientOptions? tls,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new AssociationOptions();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connectTimeout.CancelAfter(options.ArtimTimeout);
            socket.NoDelay = true;
            await socket.ConnectAsync(host, port, connectTimeout.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Stream? secure = null;
        if (tls is not null)
        {
            try
            {
                secure = await Security.TlsHandshake.ConnectAsync(socket, host, tls, options.ArtimTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        var association = new DicomAssociation(socket, secure, isRequestor: true, options, logger) { _handler = handler };
        var request = proposal.ToPdu(options);
        association.Request = request;
        association.CalledAeTitle = request.CalledAeTitle;
        association.CallingAeTitle = request.CallingAeTitle;
        association.Fire(UpperLayerEvent.LocalAssociateRequest);
        association.Fire(UpperLayerEvent.TransportConfirm);
        try
        {
            await association.SendPduAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await association.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        association._loop = association.RunAsync();
        using var stop = cancellationToken.Register(() => association.Abort(new OperationCanceledException(cancellationToken)));
        try
        {
            await association._established.Task.ConfigureAwait(false);
        }
        catch
        {
            await association.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return association;
    }

    /// <summary>Sends one DIMSE message: its command set, then its data set read from <paramref name="dataSet"/> (seekable, from its position to its end).</summary>
    public async ValueTask SendMessageAsync(byte contextId, ReadOnlyMemory<byte> commandSet, Stream? dataSet, CancellationToken cancellationToken)
    {
        lock (_machine)
        {
            if (_machine.State is not (UpperLayerState.Sta6Established or UpperLayerState.Sta8AwaitingLocalReleaseResponse))
            {
                throw new InvalidOperationException($"P-DATA cannot be sent in {_machine.State} (PS3.8 Table 9-10, Evt9).");
            }
        }

        if (FindAcceptedContext(contextId) is null)
        {
            throw new ArgumentException($"Presentation context {contextId} was not accepted.", nameof(contextId));
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        await _writeLock.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            if (_closed.Task.IsCompleted)
            {
                throw new AssociationAbortedException("The association is closed; the message was not sent.");
            }

            await PDataWriter.WriteMessageAsync(_writer, SendPduLength, contextId, commandSet, dataSet, linked.Token).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Requests release (PS3.8 AR-1) and waits until the association has ended.</summary>
    /// <exception cref="AssociationAbortedException">The association was aborted instead.</exception>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        Fire(UpperLayerEvent.LocalReleaseRequest);
        await SendPduAsync(ReleaseRequestPdu.Instance, cancellationToken).ConfigureAwait(false);
        var error = await _closed.Task.WaitAsync(_options.ArtimTimeout, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            throw error as AssociationAbortedException ?? new AssociationAbortedException("The association ended without a release response.", error);
        }
    }

    /// <summary>The one fatal path: sends A-ABORT (with the source/reason of a <see cref="DicomProtocolException"/>) and closes.</summary>
    public void Abort(Exception? reason = null)
    {
        Interlocked.CompareExchange(ref _localAbort, reason ?? new AssociationAbortedException("Aborted by the local user."), null);
        try
        {
            _lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_closed.Task.IsCompleted)
        {
            Abort();
        }

        await _loop.ConfigureAwait(false);
        _lifetime.Dispose();
        _writeLock.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        Exception? error = null;
        try
        {
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = ex;
        }

        await TearDownAsync(error).ConfigureAwait(false);
    }

    private async Task ReadLoopAsync()
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        try
        {
            while (true)
            {
                var state = State;
                timeout.CancelAfter(TimeoutIn(state));
                ReadResult result;
                try
                {
                    result = await _reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!_lifetime.IsCancellationRequested)
                {
                    OnTimeout(state);
                    return;
                }

                _acceptor?.Ticket.Touch();
                if (!timeout.TryReset())
                {
                    // The timer fired just as data arrived: the data wins, the timer starts again.
                    timeout.Dispose();
                    timeout = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
                }

                var buffer = result.Buffer;
                try
                {
                    while (PduReader.TryReadPdu(ref buffer, _options.MaxReceivePduLength, out var pdu))
                    {
                        if (!await OnPduAsync(pdu).ConfigureAwait(false))
                        {
                            return;
                        }
                    }

                    if (result.IsCompleted)
                    {
                        OnTransportClosed(buffer.Length);
                        return;
                    }
                }
                finally
                {
                    _reader.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
        finally
        {
            timeout.Dispose();
        }
    }

    /// <summary>
    /// ARTIM while the state machine runs it (PS3.8 9.1.5); on an accepted association the first-message timeout until
    /// the first P-DATA-TF, then the idle timeout.
    /// </summary>
    private TimeSpan TimeoutIn(UpperLayerState state) =>
        _machine.ArtimRunning || state == UpperLayerState.Sta5AwaitingAssociateResponse ? _options.ArtimTimeout
        : _acceptor is not null && !_messageSeen && state == UpperLayerState.Sta6Established ? _options.FirstMessageTimeout
        : _options.IdleTimeout;

    private void OnTimeout(UpperLayerState state)
    {
        // Sta6 has no ARTIM (PS3.8 Table 9-10): a silent established association is ended by our own timeouts, with an
        // A-ABORT below, not closed as if ARTIM had expired.
        if (state != UpperLayerState.Sta6Established && Fire(UpperLayerEvent.ArtimExpired, throwIfInvalid: false) == UpperLayerAction.Close)
        {
            // PS3.8 AA-2: ARTIM expiry closes the transport without an A-ABORT.
            NetworkLog.ArtimExpired(_logger, RemoteEndPoint, state);
            if (state == UpperLayerState.Sta2AwaitingAssociateRequest)
            {
                throw new AssociationAbortedException($"The ARTIM timer ({_options.ArtimTimeout.TotalSeconds:0.#} s) expired before an A-ASSOCIATE-RQ arrived.");
            }

            return;
        }

        // An abort, not a release: A-RELEASE needs an A-RELEASE-RP from a peer that has stopped talking, and with no
        // request outstanding nothing acknowledged is lost (DCMTK's --dimse-timeout aborts too).
        throw new DicomProtocolException(AbortSource.ServiceUser, AbortReason.NotSpecified, _acceptor is not null && !_messageSeen && state == UpperLayerState.Sta6Established
            ? $"No DIMSE message within {_options.FirstMessageTimeout.TotalSeconds:0.#} s of A-ASSOCIATE-AC from {CallingAeTitle}."
            : $"No PDU for {TimeoutIn(state).TotalSeconds:0.#} s in {state} from {CallingAeTitle}.");
    }

    private void OnTransportClosed(long pendingBytes)
    {
        var before = State;
        Fire(UpperLayerEvent.TransportClosed, throwIfInvalid: false);
        if (before is UpperLayerState.Sta13AwaitingTransportClose or UpperLayerState.Sta1Idle)
        {
            return;
        }

        throw new AssociationAbortedException(
            $"The peer closed the connection in {before}{(pendingBytes > 0 ? $" inside a PDU ({pendingBytes} bytes pending)" : string.Empty)} (PS3.8 AA-4).");
    }

    /// <summary>Acts on one received PDU; false when the association is over.</summary>
    private async ValueTask<bool> OnPduAsync(DicomPdu pdu)
    {
        var before = State;
        var action = Fire(UpperLayerStateMachine.EventFor(pdu.Type), throwIfInvalid: false);
        switch (action)
        {
            case UpperLayerAction.Ignore:
                return true;
            case UpperLayerAction.SendAbortAndClose:
                throw new DicomProtocolException(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu, $"{pdu.Type} is not expected in {before} (PS3.8 Table 9-10).");
            case UpperLayerAction.Close when pdu is AbortPdu abort:
                NetworkLog.PeerAborted(_logger, RemoteEndPoint, abort.Source, abort.Reason);
                throw new AssociationAbortedException($"The peer aborted the association ({abort}).") { PeerAbort = abort };
            case UpperLayerAction.Close when pdu is AssociateRejectPdu reject:
                throw new AssociationRejectedException(reject);
            case UpperLayerAction.Close:
                return false;
        }

        switch (pdu)
        {
            case AssociateRequestPdu request:
                await AnswerAssociateRequestAsync(request).ConfigureAwait(false);
                return true;
            case AssociateAcceptPdu accept:
                OnAssociateAccept(accept);
                return true;
            case DataTransferPdu data:
                _messageSeen = true;
                await _assembler.ProcessAsync(data, this, _handler!, _lifetime.Token).ConfigureAwait(false);
                return true;
            case ReleaseRequestPdu:
                await OnReleaseRequestAsync().ConfigureAwait(false);
                return true;
            case ReleaseResponsePdu:
                // AR-10: release collision, acceptor side; answer the peer's request now (AR-4).
                Fire(UpperLayerEvent.LocalReleaseResponse);
                await SendPduAsync(ReleaseResponsePdu.Instance, _lifetime.Token).ConfigureAwait(false);
                return true;
            default:
                throw new DicomProtocolException(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu, $"{pdu.Type} is not expected in {before}.");
        }
    }

    private async ValueTask OnReleaseRequestAsync()
    {
        if (_assembler.InsideMessage)
        {
            throw new DicomProtocolException(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu, "A-RELEASE-RQ arrived in the middle of a message.");
        }

        var state = State;
        if (state is UpperLayerState.Sta8AwaitingLocalReleaseResponse or UpperLayerState.Sta9CollisionRequestorAwaitingLocalResponse)
        {
            // AR-4 (Sta8 -> Sta13) or AR-9 (Sta9 -> Sta11). Messages were handled in order, so nothing is outstanding.
            Fire(UpperLayerEvent.LocalReleaseResponse);
            await SendPduAsync(ReleaseResponsePdu.Instance, _lifetime.Token).ConfigureAwait(false);
        }

        // Sta10: acceptor side of a collision waits for the peer's A-RELEASE-RP first (AR-10).
    }

    private async ValueTask AnswerAssociateRequestAsync(AssociateRequestPdu request)
    {
        var services = _acceptor ?? throw new InvalidOperationException("Only an acceptor receives A-ASSOCIATE-RQ.");
        Request = request;
        CalledAeTitle = request.CalledAeTitle;
        CallingAeTitle = request.CallingAeTitle;
        var (decision, why) = await DecideAsync(request, services).ConfigureAwait(false);
        if (!decision.Accepted)
        {
            services.Refusals.AssociationRefused(why, request.CallingAeTitle, request.CalledAeTitle, RemoteEndPoint, decision);
            Fire(UpperLayerEvent.LocalAssociateReject); // AE-8: send RJ, ARTIM runs until the requestor closes.
            await SendPduAsync(decision.ToPdu(), _lifetime.Token).ConfigureAwait(false);
            return;
        }

        var contexts = request.PresentationContexts.Select(services.Negotiator.Negotiate).ToList();
        _contexts = contexts.ToDictionary(c => c.Id);
        SendPduLength = ChooseSendLength(request.UserInformation.MaximumLength);
        var user = request.UserInformation;
        Accept = new AssociateAcceptPdu
        {
            CalledAeTitle = request.CalledAeTitle,
            CallingAeTitle = request.CallingAeTitle,
            PresentationContexts = contexts.Select(c => new PresentationContextAcceptItem(c.Id, c.Result, c.TransferSyntax)).ToList(),
            UserInformation = new UserInformation
            {
                MaximumLength = (uint)_options.MaxReceivePduLength,
                ImplementationClassUid = _options.ImplementationClassUid,
                ImplementationVersionName = _options.ImplementationVersionName,
                // PS3.7 D.3.3.3: we perform one operation at a time, and say so when asked.
                AsynchronousOperationsWindow = user.AsynchronousOperationsWindow is null ? null : new AsynchronousOperationsWindow(1, 1),
                RoleSelections = PresentationContextNegotiator.AnswerRoles(user.RoleSelections, contexts),
                UserIdentityServerResponse = user.UserIdentity?.PositiveResponseRequested == true ? decision.UserIdentityServerResponse : null,
            },
        };
        _handler = services.Handlers.Create(this);
        Fire(UpperLayerEvent.LocalAssociateAccept); // AE-7
        await SendPduAsync(Accept, _lifetime.Token).ConfigureAwait(false);
        NetworkLog.Accepted(_logger, CallingAeTitle, CalledAeTitle, RemoteEndPoint, contexts.Count(c => c.IsAccepted), contexts.Count, user.MaximumLength);
    }

    /// <summary>The protocol checks, then the policy (who may call whom), then the limits (fair shares, room).</summary>
    private async ValueTask<(AssociationDecision Decision, string Why)> DecideAsync(AssociateRequestPdu request, AcceptorServices services)
    {
        if ((request.ProtocolVersion & 1) == 0)
        {
            return (new AssociationDecision(false, RejectResult.Permanent, RejectSource.ServiceProviderAcse, RejectReason.ProtocolVersionNotSupported), "protocol version not supported");
        }

        if (request.ApplicationContextName != AssociatePduBody.DicomApplicationContext)
        {
            return (new AssociationDecision(false, RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.ApplicationContextNameNotSupported), "application context name not supported");
        }

        var info = new AssociationRequestInfo(request.CalledAeTitle, request.CallingAeTitle, RemoteEndPoint, request.UserInformation.UserIdentity, request);
        var decision = await services.Policy.EvaluateAsync(info, _lifetime.Token).ConfigureAwait(false);
        if (!decision.Accepted)
        {
            return (decision, decision.Reason switch
            {
                RejectReason.CalledAeTitleNotRecognized => "called AE title not recognized",
                RejectReason.CallingAeTitleNotRecognized => "calling AE title not allowed from this address",
                _ => "refused by the association policy",
            });
        }

        var admitted = services.Admission.TryAssociate(services.Ticket, request.CallingAeTitle, out var refusal);
        return admitted.Accepted ? (decision, string.Empty) : (admitted, refusal ?? "local limit exceeded");
    }

    private void OnAssociateAccept(AssociateAcceptPdu accept)
    {
        Accept = accept;
        var proposed = Request!.PresentationContexts.ToDictionary(p => p.Id);
        _contexts = accept.PresentationContexts
            .Where(a => proposed.ContainsKey(a.Id))
            .Select(a => new PresentationContext(a.Id, proposed[a.Id].AbstractSyntax, proposed[a.Id].TransferSyntaxes, a.Result, a.TransferSyntax))
            .ToDictionary(c => c.Id);
        foreach (var context in _contexts.Values.Where(c => c.IsAccepted))
        {
            if (!context.ProposedTransferSyntaxes.Contains(context.TransferSyntax, StringComparer.Ordinal))
            {
                throw DicomProtocolException.Invalid($"The peer accepted context {context.Id} with transfer syntax {context.TransferSyntax}, which was not proposed.");
            }
        }

        SendPduLength = ChooseSendLength(accept.UserInformation.MaximumLength);
        _established.TrySetResult();
    }

    private int ChooseSendLength(uint peerMaximum) =>
        peerMaximum == 0 ? _options.MaxSendPduLength : (int)Math.Min(peerMaximum, (uint)_options.MaxSendPduLength);

    private async ValueTask SendPduAsync(DicomPdu pdu, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_closed.Task.IsCompleted)
            {
                throw new AssociationAbortedException($"The association is closed; {pdu.Type} not sent.");
            }

            pdu.WriteTo(_writer);
            var result = await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCompleted)
            {
                throw new IOException("The connection closed before the PDU was sent.");
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private UpperLayerAction Fire(UpperLayerEvent evt, bool throwIfInvalid = true)
    {
        lock (_machine)
        {
            try
            {
                return _machine.Fire(evt);
            }
            catch (InvalidOperationException) when (!throwIfInvalid)
            {
                return UpperLayerAction.Close;
            }
        }
    }

    /// <summary>Ends the association whatever happened: A-ABORT where due, close the socket, tell the handler, complete.</summary>
    private async Task TearDownAsync(Exception? error)
    {
        var local = Volatile.Read(ref _localAbort);
        if (local is not null && error is OperationCanceledException or null)
        {
            error = local;
        }

        var abortPdu = error switch
        {
            DicomProtocolException protocol => new AbortPdu(protocol.Source, protocol.Reason),
            AssociationAbortedException or AssociationRejectedException or IOException or SocketException => null,
            null => null,
            _ => new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified),
        };
        if (abortPdu is not null)
        {
            await TrySendAbortAsync(abortPdu).ConfigureAwait(false);
        }

        if (error is not null and not AssociationRejectedException)
        {
            NetworkLog.Aborted(_logger, RemoteEndPoint, error.Message, error is DicomProtocolException or AssociationAbortedException ? null : error);
        }
        else if (error is null && _handler is not null)
        {
            NetworkLog.Released(_logger, CallingAeTitle, CalledAeTitle);
        }

        await _reader.CompleteAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }

        // The writer is not thread-safe: wait for a send in progress (the shutdown makes it fail fast), then complete it.
        // Unsent bytes are dropped: after an abort or a close there is nobody left to read them.
        var locked = await _writeLock.WaitAsync(AbortSendTimeout).ConfigureAwait(false);
        try
        {
            await _writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
        }
        finally
        {
            if (locked)
            {
                _writeLock.Release();
            }
        }

        _socket.Dispose();
        _established.TrySetException(error ?? new AssociationAbortedException("The connection closed before A-ASSOCIATE-AC."));
        _ = _established.Task.Exception; // observed: a failed connect is reported by ConnectAsync, not here.
        if (_handler is not null)
        {
            try
            {
                await _handler.OnClosedAsync(this, error is null ? null : error as AssociationAbortedException ?? new AssociationAbortedException(error.Message, error)).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                NetworkLog.Aborted(_logger, RemoteEndPoint, "handler failed while closing", ex);
            }
        }

        _closed.TrySetResult(error);
    }

    private async Task TrySendAbortAsync(AbortPdu abort)
    {
        try
        {
            using var timeout = new CancellationTokenSource(AbortSendTimeout);
            await SendPduAsync(abort, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The peer may be gone already; the association ends either way.
        }
    }
}
