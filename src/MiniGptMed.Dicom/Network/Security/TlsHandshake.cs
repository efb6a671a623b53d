using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;

namespace MiniGptMed.Dicom.Network.Security;

/// <summary>
/// The TLS handshake on a connected socket, either side (PS3.15 B.9), bounded by the ARTIM timer: a peer that
/// connects and says nothing, or sends something that is not TLS, is dropped like one that never associates.
/// </summary>
internal static class TlsHandshake
{
    /// <summary>Server side: the authenticated stream, or a <see cref="TlsHandshakeException"/> already logged as one Warning line.</summary>
    public static async Task<SslStream> AcceptAsync(Socket socket, IPEndPoint remote, DicomTlsServerOptions options, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken)
    {
        var problem = new StrongBox<string?>();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            // A connection closed before its first byte (a port probe, a load balancer's health check) is not a
            // failed handshake: no Warning, no Security Alert for it.
            if (await socket.ReceiveAsync(new byte[1], SocketFlags.Peek, bound.Token).ConfigureAwait(false) == 0)
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                TlsLog.ClosedBeforeHandshake(logger, remote);
                throw new TlsHandshakeException(remote, "the connection closed before a TLS handshake") { PeerSentNothing = true };
            }

            await ssl.AuthenticateAsServerAsync(options.ForConnection(problem), bound.Token).ConfigureAwait(false);
            TlsLog.Established(logger, remote, ssl.SslProtocol, ssl.NegotiatedCipherSuite, ssl.RemoteCertificate?.Subject ?? "none");
            return ssl;
        }
        catch (Exception ex) when (ex is (AuthenticationException or IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            and not TlsHandshakeException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var reason = Describe(ex, problem.Value, timeout, cancellationToken);
            TlsLog.HandshakeFailed(logger, remote, reason);
            throw new TlsHandshakeException(remote, reason, ex);
        }
    }

    /// <summary>Client side: the authenticated stream, or a <see cref="TlsHandshakeException"/> that says why.</summary>
    public static async Task<SslStream> ConnectAsync(Socket socket, string host, DicomTlsClientOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var problem = new StrongBox<string?>();
        var remote = socket.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            await RunAsync(ssl.AuthenticateAsClientAsync(options.ForConnection(host, problem), Bounded(timeout, cancellationToken, out var bound)), bound).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TlsHandshakeException(remote, Describe(ex, problem.Value, timeout, cancellationToken), ex);
        }
    }

    private static CancellationToken Bounded(TimeSpan timeout, CancellationToken cancellationToken, out CancellationTokenSource bound)
    {
        bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        return bound.Token;
    }

    private static async Task RunAsync(Task handshake, CancellationTokenSource bound)
    {
        using (bound)
        {
            await handshake.ConfigureAwait(false);
        }
    }

    /// <summary>One line: our own finding (certificate refused) first, else the innermost message of the TLS stack.</summary>
    private static string Describe(Exception ex, string? problem, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (problem is not null)
        {
            return problem;
        }

        if (ex is OperationCanceledException)
        {
            return cancellationToken.IsCancellationRequested
                ? "the listener is stopping"
                : $"no handshake within the ARTIM timeout ({timeout.TotalSeconds:0.#} s)";
        }

        var inner = ex;
        while (inner.InnerException is { } next)
        {
            inner = next;
        }

        var message = inner == ex ? ex.Message : $"{ex.Message} ({inner.Message})";
        return message.ReplaceLineEndings(" ");
    }
}
