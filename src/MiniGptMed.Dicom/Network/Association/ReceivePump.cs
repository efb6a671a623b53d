using System.IO.Pipelines;
using System.Net.Sockets;

namespace MiniGptMed.Dicom.Network.Association;

/// <summary>
/// One thread per accepted connection that reads the socket with blocking recv(2) into a pipe whose reader runs
/// inline: the association's read loop continues on this thread as soon as bytes arrive, so receiving a C-STORE
/// costs no thread-pool hop, no epoll round trip and no spinning worker (on two cores those competed with the sender).
/// Associations are few (<see cref="DicomListenerOptions.MaxAssociations"/>), so a thread each is cheap.
/// If a handler truly awaits (an asynchronous policy, say), its continuation runs elsewhere and the pump keeps
/// receiving, bounded by the pipe's pause threshold: memory stays a few PDUs either way.
/// </summary>
internal static class ReceivePump
{
    private const int ReadSize = 64 * 1024;

    /// <summary>Creates the pipe and starts the thread; the returned reader is the association's.</summary>
    public static PipeReader Start(Socket socket, int maxPduLength, string name) =>
        Start(memory => socket.Receive(memory.Span), maxPduLength, name);

    /// <summary>The same over a stream read synchronously (an authenticated SslStream: its Read blocks in recv(2) on this thread too).</summary>
    public static PipeReader Start(Stream stream, int maxPduLength, string name) =>
        Start(memory => stream.Read(memory.Span), maxPduLength, name);

    private static PipeReader Start(Func<Memory<byte>, int> receive, int maxPduLength, string name)
    {
        // The reader must be able to hold a whole PDU (6-byte header + body) plus one read beyond it.
        long pause = (2L * maxPduLength) + (2 * ReadSize);
        var pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: pause,
            resumeWriterThreshold: pause / 2,
            minimumSegmentSize: ReadSize,
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            useSynchronizationContext: false));
        var thread = new Thread(() => Run(receive, pipe.Writer)) { IsBackground = true, Name = name };
        thread.Start();
        return pipe.Reader;
    }

    private static void Run(Func<Memory<byte>, int> receive, PipeWriter writer)
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(ReadSize);
                var received = receive(memory);
                if (received == 0)
                {
                    break;
                }

                writer.Advance(received);
                var flush = writer.FlushAsync();
                var result = flush.IsCompleted ? flush.Result : WaitForReader(flush);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Reported to the read loop as the stream would have: the association ends with it.
            error = new IOException($"Receiving failed: {(ex as SocketException)?.SocketErrorCode.ToString() ?? "the connection is closed"}.", ex);
        }
        catch (Exception ex)
        {
            // Whatever else goes wrong here ends this association through its read loop, never the process.
            error = ex;
        }

        writer.Complete(error);
    }

    /// <summary>
    /// The reader went asynchronous and has not caught up: this thread has nothing else to do but wait for it.
    /// </summary>
    private static FlushResult WaitForReader(ValueTask<FlushResult> flush) => flush.AsTask().GetAwaiter().GetResult();
}
