using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using MiniGptMed.Dicom.Network;
using MiniGptMed.Dicom.Network.Association;
using MiniGptMed.Dicom.Network.Pdu;
using MiniGptMed.Dicom.Tests.Network.Pdu;

namespace MiniGptMed.Dicom.Tests.Network.Association;

/// <summary>Records what an association delivers; optionally answers each command with the same bytes.</summary>
internal sealed class RecordingHandler(bool echoCommands = false) : IPresentationDataHandler, IPresentationDataHandlerFactory
{
    public ConcurrentQueue<byte[]> Commands { get; } = new();

    public ConcurrentQueue<int> FragmentSizes { get; } = new();

    public MemoryStream Data { get; } = new();

    public Channel<byte[]> CommandArrivals { get; } = Channel.CreateUnbounded<byte[]>();

    public TaskCompletionSource<Exception?> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource DataComplete { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IPresentationDataHandler Create(DicomAssociation association) => this;

    public async ValueTask OnCommandAsync(DicomAssociation association, PresentationContext context, ReadOnlyMemory<byte> commandSet, CancellationToken cancellationToken)
    {
        var bytes = commandSet.ToArray();
        Commands.Enqueue(bytes);
        CommandArrivals.Writer.TryWrite(bytes);
        if (echoCommands)
        {
            await association.SendMessageAsync(context.Id, bytes, null, cancellationToken);
        }
    }

    public ValueTask OnDataFragmentAsync(DicomAssociation association, PresentationContext context, ReadOnlySequence<byte> fragment, bool isLast, CancellationToken cancellationToken)
    {
        FragmentSizes.Enqueue((int)fragment.Length);
        foreach (var segment in fragment)
        {
            Data.Write(segment.Span);
        }

        if (isLast)
        {
            DataComplete.TrySetResult();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask OnClosedAsync(DicomAssociation association, Exception? error)
    {
        Closed.TrySetResult(error);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A policy that answers whatever the test says and remembers what it was shown.</summary>
internal sealed class ScriptedPolicy(Func<AssociationRequestInfo, AssociationDecision> decide) : IAssociationPolicy
{
    public AssociationRequestInfo? Last { get; private set; }

    public ValueTask<AssociationDecision> EvaluateAsync(AssociationRequestInfo request, CancellationToken cancellationToken)
    {
        Last = request;
        return ValueTask.FromResult(decide(request));
    }
}

/// <summary>An SCP on a loopback port chosen by the OS, with a recording handler.</summary>
internal sealed class TestListener : IAsyncDisposable
{
    public TestListener(IAssociationPolicy? policy = null, Action<DicomListenerOptions>? configure = null, RecordingHandler? handler = null, MiniGptMed.Dicom.Tests.Support.LogCapture? logs = null)
    {
        Handler = handler ?? new RecordingHandler(echoCommands: true);
        var options = new DicomListenerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) };
        options.Association.ArtimTimeout = TimeSpan.FromSeconds(5);
        configure?.Invoke(options);
        Listener = new DicomListener(
            options,
            policy ?? new LoopbackOnlyAssociationPolicy(),
            new PresentationContextNegotiator(
                uid => uid is SamplePdus.Verification or SamplePdus.CtImageStorage,
                [SamplePdus.ExplicitLittle, SamplePdus.ImplicitLittle]),
            Handler,
            logs?.For<DicomListener>());
        Listener.AssociationClosed += error => Closures.Writer.TryWrite(error);
        Listener.Start();
    }

    public DicomListener Listener { get; }

    public RecordingHandler Handler { get; }

    public Channel<Exception?> Closures { get; } = Channel.CreateUnbounded<Exception?>();

    public int Port => Listener.LocalEndPoint.Port;

    public static AssociationProposal Proposal(string called = "MINIGPTMED") => new(
        called,
        "TESTSCU",
        [
            new PresentationContextRequestItem(1, SamplePdus.Verification, [SamplePdus.ImplicitLittle]),
            new PresentationContextRequestItem(3, SamplePdus.CtImageStorage, [SamplePdus.ImplicitLittle, SamplePdus.ExplicitLittle]),
        ]);

    public Task<DicomAssociation> ConnectAsync(RecordingHandler? handler = null, AssociationProposal? proposal = null, AssociationOptions? options = null) =>
        DicomAssociation.ConnectAsync("127.0.0.1", Port, proposal ?? Proposal(), handler ?? new RecordingHandler(), options, cancellationToken: Timeout.Token);

    public async Task<Exception?> NextClosureAsync() => await Closures.Reader.ReadAsync(Timeout.Token);

    public ValueTask DisposeAsync() => Listener.DisposeAsync();

    public static CancellationTokenSource Timeout => new(TimeSpan.FromSeconds(20));
}

/// <summary>A raw TCP peer for wire edge cases: writes whatever bytes a test gives and reads PDUs back.</summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly List<byte> _pending = [];

    private RawPeer(IPAddress? from)
    {
        // Bound to another loopback address (127.0.0.2 is loopback on Linux) to play a second host.
        _client = from is null ? new TcpClient() : new TcpClient(new IPEndPoint(from, 0));
        _client.NoDelay = true;
    }

    public NetworkStream Stream => _client.GetStream();

    public static async Task<RawPeer> ConnectAsync(int port, IPAddress? from = null)
    {
        var peer = new RawPeer(from);
        await peer._client.ConnectAsync(IPAddress.Loopback, port);
        return peer;
    }

    public async Task SendAsync(byte[] bytes) => await Stream.WriteAsync(bytes);

    public Task SendAsync(DicomPdu pdu) => SendAsync(pdu.ToArray());

    /// <summary>The next PDU from the peer, or null when it closed the connection.</summary>
    public async Task<DicomPdu?> ReadPduAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var chunk = new byte[65536];
        while (true)
        {
            var buffer = new ReadOnlySequence<byte>(_pending.ToArray());
            if (PduReader.TryReadPdu(ref buffer, 1 << 20, out var pdu))
            {
                _pending.RemoveRange(0, pdu.TotalLength);
                return pdu;
            }

            int n;
            try
            {
                n = await Stream.ReadAsync(chunk, cts.Token);
            }
            catch (IOException)
            {
                return null;
            }

            if (n == 0)
            {
                return null;
            }

            _pending.AddRange(chunk.AsSpan(0, n).ToArray());
        }
    }

    /// <summary>Reads until the peer closes; returns the PDUs seen on the way.</summary>
    public async Task<List<DicomPdu>> ReadUntilClosedAsync(TimeSpan timeout)
    {
        var seen = new List<DicomPdu>();
        while (await ReadPduAsync(timeout) is { } pdu)
        {
            seen.Add(pdu);
        }

        return seen;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
