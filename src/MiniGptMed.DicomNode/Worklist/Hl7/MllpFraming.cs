using System.Buffers;

namespace MiniGptMed.DicomNode.Worklist.Hl7;

/// <summary>
/// MLLP framing (HL7 v2 Transport Specification: MLLP Release 2, block format): a message is sent as
/// <c>&lt;VT&gt; data &lt;FS&gt;&lt;CR&gt;</c>, VT = 0x0B, FS = 0x1C, CR = 0x0D.
/// </summary>
public static class MllpFraming
{
    public const byte StartBlock = 0x0B;
    public const byte EndBlock = 0x1C;
    public const byte CarriageReturn = 0x0D;

    public static byte[] Frame(ReadOnlySpan<byte> message)
    {
        var framed = new byte[message.Length + 3];
        framed[0] = StartBlock;
        message.CopyTo(framed.AsSpan(1));
        framed[^2] = EndBlock;
        framed[^1] = CarriageReturn;
        return framed;
    }

    /// <summary>
    /// Takes one block off the front of <paramref name="buffer"/>: false while it is incomplete (nothing consumed).
    /// Bytes before the start block are skipped (a peer's stray newline); a block longer than
    /// <paramref name="maxLength"/> is refused before it is buffered further.
    /// </summary>
    public static bool TryReadBlock(ref ReadOnlySequence<byte> buffer, int maxLength, out ReadOnlySequence<byte> block)
    {
        block = default;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryAdvanceTo(StartBlock, advancePastDelimiter: true))
        {
            if (buffer.Length > maxLength)
            {
                throw new InvalidDataException($"MLLP: {buffer.Length} bytes without a start block (0x0B)");
            }

            return false;
        }

        var start = reader.Position;
        if (!reader.TryReadTo(out ReadOnlySequence<byte> data, EndBlock, advancePastDelimiter: true))
        {
            if (buffer.Slice(start).Length > maxLength)
            {
                throw new InvalidDataException($"MLLP: a block longer than {maxLength} bytes");
            }

            return false;
        }

        if (!reader.TryPeek(out var cr))
        {
            return false;
        }

        if (cr != CarriageReturn)
        {
            throw new InvalidDataException($"MLLP: end block 0x1C followed by 0x{cr:X2}, not 0x0D");
        }

        if (data.Length > maxLength)
        {
            throw new InvalidDataException($"MLLP: a block longer than {maxLength} bytes");
        }

        reader.Advance(1);
        block = data;
        buffer = buffer.Slice(reader.Position);
        return true;
    }
}
