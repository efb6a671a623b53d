using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;

namespace MiniGptMed.DicomNode.Worklist.Hl7;

/// <summary>
/// Sends one HL7 message over MLLP and reads the one acknowledgement that answers it (one connection per message:
/// a notice is rare, and a fresh connection has no half-read state from an earlier failure). The answer is bounded
/// by <c>maxAckBytes</c>; a peer that closes without answering is an I/O error (retried).
/// </summary>
public static class MllpClient
{
    public static async Task<string> SendAsync(string host, int port, string message, int maxAckBytes, CancellationToken cancellationToken)
    {
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        var stream = client.GetStream();
        await stream.WriteAsync(MllpFraming.Frame(Encoding.UTF8.GetBytes(message)), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    if (MllpFraming.TryReadBlock(ref buffer, maxAckBytes, out var block))
                    {
                        return Encoding.UTF8.GetString(block);
                    }

                    if (result.IsCompleted)
                    {
                        throw new IOException($"MLLP: {host}:{port} closed the connection without an acknowledgement");
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }
}
