using System.Buffers;
using System.Text;

namespace MiniGptMed.Dicom.Network.Pdu;

/// <summary>Reads the big-endian fields and items of a PDU body that is already complete in the buffer.</summary>
internal ref struct PduItemReader
{
    private SequenceReader<byte> _reader;

    public PduItemReader(ReadOnlySequence<byte> body)
    {
        _reader = new SequenceReader<byte>(body);
    }

    public readonly long Remaining => _reader.Remaining;

    public readonly bool End => _reader.End;

    public byte Byte(string field)
    {
        if (!_reader.TryRead(out var value))
        {
            throw Truncated(field);
        }

        return value;
    }

    public ushort UInt16(string field)
    {
        if (!_reader.TryReadBigEndian(out short value))
        {
            throw Truncated(field);
        }

        return unchecked((ushort)value);
    }

    public uint UInt32(string field)
    {
        if (!_reader.TryReadBigEndian(out int value))
        {
            throw Truncated(field);
        }

        return unchecked((uint)value);
    }

    public void Skip(long count, string field)
    {
        if (_reader.Remaining < count)
        {
            throw Truncated(field);
        }

        _reader.Advance(count);
    }

    public ReadOnlySequence<byte> Slice(long count, string field)
    {
        if (_reader.Remaining < count)
        {
            throw Truncated(field);
        }

        var slice = _reader.UnreadSequence.Slice(0, count);
        _reader.Advance(count);
        return slice;
    }

    public byte[] Bytes(int count, string field) => Slice(count, field).ToArray();

    /// <summary>PS3.8 9.3.2: AE titles are 16 bytes; leading and trailing spaces are not significant.</summary>
    public string AeTitle(string field)
    {
        Span<byte> raw = stackalloc byte[PduSpanWriter.AeTitleLength];
        if (!_reader.TryCopyTo(raw))
        {
            throw Truncated(field);
        }

        _reader.Advance(raw.Length);
        foreach (var b in raw)
        {
            if (b is < 0x20 and not 0 or > 0x7E)
            {
                throw DicomProtocolException.Invalid($"{field} contains a non-printable byte 0x{b:X2}.");
            }
        }

        return Encoding.ASCII.GetString(raw).Trim(' ', '\0');
    }

    /// <summary>An item header: type (1), reserved (1), length (2); the length is checked against what is left.</summary>
    public (byte Type, int Length) ItemHeader(string container)
    {
        var type = Byte($"{container} item type");
        Skip(1, $"{container} item reserved byte");
        var length = UInt16($"{container} item length");
        if (length > _reader.Remaining)
        {
            throw DicomProtocolException.Invalid(
                $"{container} item 0x{type:X2} declares {length} bytes but only {_reader.Remaining} remain.");
        }

        return (type, length);
    }

    /// <summary>A UID carried as an item value; trailing NUL/space padding (seen from some peers) is removed.</summary>
    public string Uid(int length, string field)
    {
        if (length > PduLimits.MaxUidLength + 1)
        {
            throw DicomProtocolException.Invalid($"{field} is {length} bytes long; a UID has at most {PduLimits.MaxUidLength} characters.");
        }

        var value = Ascii(length, field).TrimEnd('\0', ' ');
        if (value.Length == 0)
        {
            throw DicomProtocolException.Invalid($"{field} is empty.");
        }

        foreach (var c in value)
        {
            if (c is not (>= '0' and <= '9') and not '.')
            {
                throw DicomProtocolException.Invalid($"{field} '{Printable(value)}' is not a UID (PS3.5 9.1: digits and dots only).");
            }
        }

        return value;
    }

    public string Ascii(int length, string field)
    {
        Span<byte> raw = length <= 256 ? stackalloc byte[length] : new byte[length];
        if (!_reader.TryCopyTo(raw))
        {
            throw Truncated(field);
        }

        _reader.Advance(length);
        return Encoding.ASCII.GetString(raw);
    }

    private static string Printable(string value) =>
        string.Concat(value.Select(c => c is >= ' ' and <= '~' ? c : '?'));

    private static DicomProtocolException Truncated(string field) =>
        DicomProtocolException.Invalid($"PDU ends inside {field}.");
}
