using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>Reads whole PDUs from a receive buffer (PS3.8 9.3) without waiting for bytes it will refuse anyway.</summary>
public static class PduReader
{
    /// <summary>
    /// Takes one PDU off the front of <paramref name="buffer"/>. Returns false, consuming nothing, while the PDU is
    /// incomplete. Throws <see cref="DicomProtocolException"/> as soon as the bytes seen cannot start a valid PDU:
    /// an unknown type (HTTP, TLS), or a declared length above the limit, before its body arrives.
    /// </summary>
    /// <param name="maxLength">The largest P-DATA-TF PDU-length accepted (the maximum length we announced).</param>
    public static bool TryReadPdu(ref ReadOnlySequence<byte> buffer, int maxLength, [NotNullWhen(true)] out DicomPdu? pdu)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        pdu = null;
        if (buffer.IsEmpty)
        {
            return false;
        }

        var type = buffer.FirstSpan[0];
        if (type is < (byte)PduType.AssociateRequest or > (byte)PduType.Abort)
        {
            throw new DicomProtocolException(AbortSource.ServiceProvider, AbortReason.UnrecognizedPdu, DescribeForeign(buffer));
        }

        if (buffer.Length < PduLimits.HeaderLength)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[PduLimits.HeaderLength];
        buffer.Slice(0, PduLimits.HeaderLength).CopyTo(header);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[2..]);
        CheckLength((PduType)type, length, maxLength);
        if (buffer.Length - PduLimits.HeaderLength < length)
        {
            return false;
        }

        var body = buffer.Slice(PduLimits.HeaderLength, length);
        pdu = Parse((PduType)type, body);
        buffer = buffer.Slice(body.End);
        return true;
    }

    private static void CheckLength(PduType type, uint length, int maxLength)
    {
        long limit = type switch
        {
            PduType.DataTransfer => maxLength,
            PduType.AssociateRequest or PduType.AssociateAccept => PduLimits.MaxAssociatePduLength,
            _ => 4,
        };
        var tooShort = type switch
        {
            PduType.AssociateRequest or PduType.AssociateAccept => length < AssociatePduBody.FixedLength,
            PduType.DataTransfer => length < PresentationDataValue.Overhead,
            _ => length != 4,
        };
        if (length > limit)
        {
            throw DicomProtocolException.Invalid($"{type} PDU declares {length} bytes; the limit is {limit}.");
        }

        if (tooShort)
        {
            throw DicomProtocolException.Invalid($"{type} PDU declares {length} bytes, too short for its fixed fields.");
        }
    }

    private static DicomPdu Parse(PduType type, ReadOnlySequence<byte> body)
    {
        if (type == PduType.DataTransfer)
        {
            return DataTransferPdu.Parse(body);
        }

        var reader = new PduItemReader(body);
        return type switch
        {
            PduType.AssociateRequest => AssociateRequestPdu.Parse(ref reader),
            PduType.AssociateAccept => AssociateAcceptPdu.Parse(ref reader),
            PduType.AssociateReject => AssociateRejectPdu.Parse(ref reader),
            PduType.ReleaseRequest => ReleaseRequestPdu.Instance,
            PduType.ReleaseResponse => ReleaseResponsePdu.Instance,
            _ => AbortPdu.Parse(ref reader),
        };
    }

    private static string DescribeForeign(ReadOnlySequence<byte> buffer)
    {
        Span<byte> head = stackalloc byte[(int)Math.Min(buffer.Length, 4)];
        buffer.Slice(0, head.Length).CopyTo(head);
        var kind = head switch
        {
            [0x16, 0x03, ..] => "a TLS handshake (is the peer configured for DICOM over TLS?)",
            [0x16] => "a TLS handshake (is the peer configured for DICOM over TLS?)",
            [(byte)'G' or (byte)'P' or (byte)'H' or (byte)'D' or (byte)'O', ..] when head.Length < 2 || head[1] is >= (byte)'A' and <= (byte)'Z' => "text, perhaps an HTTP request",
            _ => "not a DICOM PDU",
        };
        return $"The first byte 0x{head[0]:X2} is not a PS3.8 PDU type (01H-07H): {kind}.";
    }
}
