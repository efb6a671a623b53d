using System.Buffers;

namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>
/// P-DATA-TF, PS3.8 9.3.5.
/// <code>
/// byte 1     PDU-type 04H
/// byte 2     reserved
/// bytes 3-6  PDU-length
/// bytes 7-   one or more presentation data value items (see <see cref="PresentationDataValue"/>)
/// </code>
/// </summary>
public sealed class DataTransferPdu(IReadOnlyList<PresentationDataValue> values) : DicomPdu
{
    public IReadOnlyList<PresentationDataValue> Values { get; } = values;

    public override PduType Type => PduType.DataTransfer;

    public override int BodyLength => Values.Sum(v => v.ItemLength);

    internal override void WriteBody(ref PduSpanWriter writer)
    {
        foreach (var value in Values)
        {
            writer.UInt32((uint)(value.ItemLength - PresentationDataValue.ItemLengthLength));
            writer.Byte(value.PresentationContextId);
            writer.Byte(value.ControlHeader);
            foreach (var segment in value.Fragment)
            {
                writer.Bytes(segment.Span);
            }
        }
    }

    internal static DataTransferPdu Parse(ReadOnlySequence<byte> body)
    {
        var reader = new PduItemReader(body);
        var values = new List<PresentationDataValue>(1);
        while (!reader.End)
        {
            var length = reader.UInt32("PDV item-length");
            if (length < PresentationDataValue.ContextIdLength + PresentationDataValue.ControlHeaderLength || length > reader.Remaining)
            {
                throw DicomProtocolException.Invalid($"PDV item-length {length} does not fit the {reader.Remaining} bytes left in the P-DATA-TF.");
            }

            var id = reader.Byte("PDV presentation context ID");
            var header = reader.Byte("PDV message control header");
            if ((header & 0xFC) != 0)
            {
                throw DicomProtocolException.Invalid($"PDV message control header 0x{header:X2} sets reserved bits (PS3.8 E.2).");
            }

            var fragment = reader.Slice(length - PresentationDataValue.ContextIdLength - PresentationDataValue.ControlHeaderLength, "PDV fragment");
            values.Add(new PresentationDataValue(id, (header & 1) != 0, (header & 2) != 0, fragment));
        }

        if (values.Count == 0)
        {
            throw DicomProtocolException.Invalid("P-DATA-TF carries no presentation data value (PS3.8 9.3.5: one or more).");
        }

        return new DataTransferPdu(values);
    }

    public override string ToString() => $"P-DATA-TF, {Values.Count} PDV(s), {BodyLength} bytes";
}
