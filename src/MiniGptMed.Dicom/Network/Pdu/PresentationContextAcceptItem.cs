namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>
/// Presentation Context Item of A-ASSOCIATE-AC, PS3.8 9.3.3.2.
/// <code>
/// byte 1     item-type 21H
/// byte 2     reserved
/// bytes 3-4  item-length
/// byte 5     presentation-context-ID
/// byte 6     reserved
/// byte 7     result/reason: 0 acceptance .. 4 transfer-syntaxes-not-supported
/// byte 8     reserved
/// bytes 9-   one Transfer Syntax sub-item (40H); its value is not significant unless the result is 0
/// </code>
/// </summary>
public sealed record PresentationContextAcceptItem(byte Id, PresentationContextResult Result, string TransferSyntax)
{
    private const int IdLength = 1;
    private const int Reserved1Length = 1;
    private const int ResultLength = 1;
    private const int Reserved2Length = 1;

    internal int ItemLength =>
        PduSpanWriter.ItemHeaderLength + IdLength + Reserved1Length + ResultLength + Reserved2Length
        + PduSpanWriter.ItemHeaderLength + TransferSyntax.Length;

    internal void Write(ref PduSpanWriter writer)
    {
        writer.ItemHeader(ItemType.PresentationContextAccept, ItemLength - PduSpanWriter.ItemHeaderLength);
        writer.Byte(Id);
        writer.Zeros(Reserved1Length);
        writer.Byte((byte)Result);
        writer.Zeros(Reserved2Length);
        writer.StringItem(ItemType.TransferSyntax, TransferSyntax);
    }

    internal static PresentationContextAcceptItem Parse(ref PduItemReader reader, int length)
    {
        var end = reader.Remaining - length;
        var id = reader.Byte("presentation context ID");
        reader.Skip(Reserved1Length, "presentation context reserved byte");
        var result = reader.Byte("presentation context result");
        reader.Skip(Reserved2Length, "presentation context reserved byte");
        if (result > (byte)PresentationContextResult.TransferSyntaxesNotSupported)
        {
            throw DicomProtocolException.Invalid($"Presentation context {id} has result {result}; PS3.8 9.3.3.2 allows 0-4.");
        }

        var transferSyntax = string.Empty;
        while (reader.Remaining > end)
        {
            var (type, itemLength) = reader.ItemHeader("presentation context");
            if (reader.Remaining - itemLength < end)
            {
                throw DicomProtocolException.Invalid($"A sub-item of presentation context {id} runs past the end of its item.");
            }

            if (type == (byte)ItemType.TransferSyntax && result == 0)
            {
                transferSyntax = reader.Uid(itemLength, $"transfer syntax of presentation context {id}");
            }
            else
            {
                // PS3.8 9.3.3.2: the transfer syntax of a rejected context is not significant (DCMTK sends it empty).
                reader.Skip(itemLength, "presentation context sub-item");
            }
        }

        if (result == 0 && transferSyntax.Length == 0)
        {
            throw DicomProtocolException.Invalid($"Accepted presentation context {id} names no transfer syntax.");
        }

        return new PresentationContextAcceptItem(id, (PresentationContextResult)result, transferSyntax);
    }
}
