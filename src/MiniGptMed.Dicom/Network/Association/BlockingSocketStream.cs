using System.Net.Sockets;

namespace MiniGptMed.Dicom.Network.Association;

/// <summary>
/// The send side of an acceptor's socket, kept in blocking mode: a write is one send(2) on the calling thread,
/// completed before the returned task is, so a response costs no hop through the socket engine. The send timeout
/// bounds how long a peer that stops reading can hold a thread (the association is then aborted).
/// </summary>
internal sealed class BlockingSocketStream : Stream
{
    private readonly Socket _socket;

    public BlockingSocketStream(Socket socket, TimeSpan sendTimeout)
    {
        _socket = socket;
        _socket.SendTimeout = (int)Math.Min(int.MaxValue, sendTimeout.TotalMilliseconds);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            while (!buffer.IsEmpty)
            {
                buffer = buffer[_socket.Send(buffer)..];
            }
        }
        catch (SocketException ex)
        {
            throw new IOException($"Sending failed: {ex.SocketErrorCode}.", ex);
        }
        catch (ObjectDisposedException ex)
        {
            throw new IOException("Sending failed: the connection is closed.", ex);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        try
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
        catch (IOException ex)
        {
            return ValueTask.FromException(ex);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _socket.Dispose();
        }

        base.Dispose(disposing);
    }
}
