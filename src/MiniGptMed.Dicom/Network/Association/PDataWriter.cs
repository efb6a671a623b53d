using System.Buffers.Binary;
using System.IO.Pipelines;
using MiniGptMed.Dicom.Network.Pdu;

namespace MiniGptMed.Dicom.Network.Association;

/// <summary>
/// Writes one DIMSE message as P-DATA-TF PDUs no longer than the peer's maximum (PS3.8 9.3.5, D.1), one PDV per PDU,
/// straight into the socket's pipe: data sets are read from their stream into the outgoing buffer, never whole.
/// </summary>
internal static class PDataWriter
{
    /// <summary>P-DATA-TF header (6) and PDV header (item length 4, context ID 1, control header 1).</summary>
    public const int Overhead = PduLimits.HeaderLength + PresentationDataValue.Overhead;

    public static async ValueTask WriteMessageAsync(
        PipeWriter output, int maxPduLength, byte contextId, ReadOnlyMemory<byte> command, Stream? dataSet, CancellationToken cancellationToken)
    {
        var maxFragment = MaxFragment(maxPduLength);
        var offset = 0;
        do
        {
            var length = Math.Min(maxFragment, command.Length - offset);
            var last = offset + length == command.Length;
            var span = output.GetSpan(Overhead + length);
            WriteHeaders(span, contextId, isCommand: true, last, length);
            command.Span.Slice(offset, length).CopyTo(span[Overhead..]);
            output.Advance(Overhead + length);
            offset += length;
            await FlushAsync(output, cancellationToken).ConfigureAwait(false);
        }
        while (offset < command.Length);

        if (dataSet is not null)
        {
            await WriteDataSetAsync(output, maxFragment, contextId, dataSet, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask WriteDataSetAsync(PipeWriter output, int maxFragment, byte contextId, Stream dataSet, CancellationToken cancellationToken)
    {
        // The length is needed up front to flag the last fragment without reading ahead (PS3.8 E.2 bit 1).
        var remaining = dataSet.Length - dataSet.Position;
        do
        {
            var length = (int)Math.Min(maxFragment, remaining);
            var memory = output.GetMemory(Overhead + length);
            var body = memory.Slice(Overhead, length);
            var read = 0;
            while (read < length)
            {
                var n = await dataSet.ReadAsync(body[read..], cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new EndOfStreamException($"The data set stream ended {remaining - read} bytes before its declared length.");
                }

                read += n;
            }

            remaining -= length;
            WriteHeaders(memory.Span, contextId, isCommand: false, last: remaining == 0, length);
            output.Advance(Overhead + length);
            await FlushAsync(output, cancellationToken).ConfigureAwait(false);
        }
        while (remaining > 0);
    }

    public static int MaxFragment(int maxPduLength)
    {
        if (maxPduLength <= PresentationDataValue.Overhead)
        {
            throw DicomProtocolException.Invalid($"A maximum PDU length of {maxPduLength} leaves no room for a PDV.");
        }

        return maxPduLength - PresentationDataValue.Overhead;
    }

    private static void WriteHeaders(Span<byte> span, byte contextId, bool isCommand, bool last, int fragmentLength)
    {
        // PS3.8 9.3.5: type, reserved, PDU-length = one PDV item (4-byte length + its contents).
        span[0] = (byte)PduType.DataTransfer;
        span[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[2..], (uint)(PresentationDataValue.Overhead + fragmentLength));
        // PS3.8 9.3.5.1: PDV item-length counts the context ID, the control header and the fragment.
        BinaryPrimitives.WriteUInt32BigEndian(span[6..], (uint)(PresentationDataValue.ContextIdLength + PresentationDataValue.ControlHeaderLength + fragmentLength));
        span[10] = contextId;
        span[11] = (byte)((isCommand ? 1 : 0) | (last ? 2 : 0));
    }

    private static async ValueTask FlushAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        var result = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new IOException("The connection closed while a message was being sent.");
        }
    }
}
