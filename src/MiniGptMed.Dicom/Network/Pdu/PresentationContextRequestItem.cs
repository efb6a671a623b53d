namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>
/// Presentation Context Item of A-ASSOCIATE-RQ, PS3.8 9.3.2.2.
/// <code>
/// byte 1     item-type 20H
/// byte 2     reserved
/// bytes 3-4  item-length
/// byte 5     presentation-context-ID (odd, 1..255)
/// bytes 6-8  reserved
/// bytes 9-   one Abstract Syntax sub-item (30H) and one or more Transfer Syntax sub-items (40H),
///            each: type (1), reserved (1), length (2), UID
/// </code>
/// </summary>
public sealed record PresentationContextRequestItem(byte Id, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes)
{
    private const int IdLength = 1;
    private const int ReservedLength = 3;

    internal int ItemLength =>
        PduSpanWriter.ItemHeaderLength + IdLength + ReservedLength
        + PduSpanWriter.ItemHeaderLength + AbstractSyntax.Length
        + TransferSyntaxes.Sum(ts => PduSpanWriter.ItemHeaderLength + ts.Length);

    internal void Write(ref PduSpanWriter writer)
    {
        writer.ItemHeader(ItemType.PresentationContextRequest, ItemLength - PduSpanWriter.ItemHeaderLength);
        writer.Byte(Id);
        writer.Zeros(ReservedLength);
        writer.StringItem(ItemType.AbstractSyntax, AbstractSyntax);
        foreach (var ts in TransferSyntaxes)
        {
            writer.StringItem(ItemType.TransferSyntax, ts);
        }
    }

    internal static PresentationContextRequestItem Parse(ref PduItemReader reader, int length)
    {
        var end = reader.Remaining - length;
        var id = reader.Byte("presentation context ID");
        reader.Skip(ReservedLength, "presentation context reserved bytes");
        string? abstractSyntax = null;
        var transferSyntaxes = new List<string>();
        while (reader.Remaining > end)
        {
            var (type, itemLength) = reader.ItemHeader("presentation context");
            if (reader.Remaining - itemLength < end)
            {
                throw DicomProtocolException.Invalid($"A sub-item of presentation context {id} runs past the end of its item.");
            }

            switch ((ItemType)type)
            {
                case ItemType.AbstractSyntax when abstractSyntax is null:
                    abstractSyntax = reader.Uid(itemLength, $"abstract syntax of presentation context {id}");
                    break;
                case ItemType.AbstractSyntax:
                    throw DicomProtocolException.Invalid($"Presentation context {id} has more than one abstract syntax sub-item.");
                case ItemType.TransferSyntax:
                    transferSyntaxes.Add(reader.Uid(itemLength, $"transfer syntax of presentation context {id}"));
                    break;
                default:
                    // PS3.8 9.3.2.2 knows only 30H and 40H here; anything else is skipped, not fatal.
                    reader.Skip(itemLength, "unknown presentation context sub-item");
                    break;
            }
        }

        if (abstractSyntax is null || transferSyntaxes.Count == 0)
        {
            throw DicomProtocolException.Invalid($"Presentation context {id} needs one abstract syntax and at least one transfer syntax (PS3.8 9.3.2.2).");
        }

        return new PresentationContextRequestItem(id, abstractSyntax, transferSyntaxes);
    }

    public bool Equals(PresentationContextRequestItem? other) =>
        other is not null && Id == other.Id && AbstractSyntax == other.AbstractSyntax && TransferSyntaxes.SequenceEqual(other.TransferSyntaxes);

    public override int GetHashCode() => HashCode.Combine(Id, AbstractSyntax, TransferSyntaxes.Count);
}
