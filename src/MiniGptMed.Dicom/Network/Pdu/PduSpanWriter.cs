using System.Buffers.Binary;
using System.Text;

namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>Big-endian writer over a span sized in advance from the PDU's declared lengths (PS3.8 9.3.1: all PDU integers are big endian).</summary>
internal ref struct PduSpanWriter
{
    private readonly Span<byte> _span;
    private int _position;

    public PduSpanWriter(Span<byte> span)
    {
        _span = span;
        _position = 0;
    }

    public readonly int Position => _position;

    public void Byte(byte value) => _span[_position++] = value;

    public void Zeros(int count)
    {
        _span.Slice(_position, count).Clear();
        _position += count;
    }

    public void UInt16(int value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_span[_position..], checked((ushort)value));
        _position += 2;
    }

    public void UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_span[_position..], value);
        _position += 4;
    }

    public void Ascii(string value)
    {
        _position += Encoding.ASCII.GetBytes(value, _span[_position..]);
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_span[_position..]);
        _position += value.Length;
    }

    /// <summary>PS3.8 9.3.2: AE titles occupy 16 bytes, padded with spaces.</summary>
    public void AeTitle(string value)
    {
        var field = _span.Slice(_position, AeTitleLength);
        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(value, field);
        _position += AeTitleLength;
    }

    /// <summary>PS3.8 9.3.1: type (1), reserved (1), PDU-length (4).</summary>
    public void PduHeader(PduType type, int bodyLength)
    {
        Byte((byte)type);
        Zeros(1);
        UInt32((uint)bodyLength);
    }

    /// <summary>PS3.8 9.3.2: item-type (1), reserved (1), item-length (2).</summary>
    public void ItemHeader(ItemType type, int bodyLength)
    {
        Byte((byte)type);
        Zeros(1);
        UInt16(bodyLength);
    }

    /// <summary>An item whose whole value is one ASCII string (UIDs, version name).</summary>
    public void StringItem(ItemType type, string value)
    {
        ItemHeader(type, value.Length);
        Ascii(value);
    }

    public const int AeTitleLength = 16;

    public const int ItemHeaderLength = 4;
}
